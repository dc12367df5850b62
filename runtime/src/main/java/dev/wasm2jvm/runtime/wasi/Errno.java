package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/** The {@code errno} values of wasi_snapshot_preview1, and the mapping of host failures onto them. */
final class Errno {
    static final int SUCCESS = 0;
    static final int ACCES = 2;
    static final int AGAIN = 6;
    static final int BADF = 8;
    static final int BUSY = 10;
    static final int CONNRESET = 15;
    static final int DQUOT = 19;
    static final int EXIST = 20;
    static final int FAULT = 21;
    static final int FBIG = 22;
    static final int ILSEQ = 25;
    static final int INVAL = 28;
    static final int IO = 29;
    static final int ISDIR = 31;
    static final int LOOP = 32;
    static final int MFILE = 33;
    static final int MLINK = 34;
    static final int NAMETOOLONG = 37;
    static final int NODEV = 43;
    static final int NOENT = 44;
    static final int NOMEM = 48;
    static final int NOSPC = 51;
    static final int NOSYS = 52;
    static final int NOTCONN = 53;
    static final int NOTDIR = 54;
    static final int NOTEMPTY = 55;
    static final int NOTSOCK = 57;
    static final int NOTSUP = 58;
    static final int NXIO = 60;
    static final int OVERFLOW = 61;
    static final int PERM = 63;
    static final int PIPE = 64;
    static final int ROFS = 69;
    static final int SPIPE = 70;
    static final int STALE = 72;
    static final int TXTBSY = 74;
    static final int XDEV = 75;
    static final int NOTCAPABLE = 76;

    private Errno() {}

    /**
     * The errno for a failed host operation. The JDK keeps the specific POSIX cause only in the
     * message of a plain {@link FileSystemException} (its {@code strerror} text), hence the matching.
     */
    static int of(IOException e) {
        return switch (e) {
            case NoSuchFileException _ -> NOENT;
            case FileAlreadyExistsException _ -> EXIST;
            case DirectoryNotEmptyException _ -> NOTEMPTY;
            case NotDirectoryException _ -> NOTDIR;
            case AccessDeniedException _ -> ACCES;
            case FileSystemLoopException _ -> LOOP;
            case NotLinkException _ -> INVAL;
            case ClosedChannelException _ -> BADF;
            case FileSystemException x -> ofReason(x.getReason());
            default -> ofReason(e.getMessage());
        };
    }

    /**
     * The errno for an unchecked exception from the JDK: channels throw them for misuse, such as
     * writing to a file opened for reading only. Anything unforeseen is an I/O error to the guest.
     */
    static int of(RuntimeException e) {
        return switch (e) {
            case UncheckedIOException x -> of(x.getCause());
            case NonReadableChannelException _ -> BADF;
            case NonWritableChannelException _ -> BADF;
            case IllegalArgumentException _ -> INVAL;
            case UnsupportedOperationException _ -> NOTSUP;
            case ArithmeticException _ -> OVERFLOW;
            default -> IO;
        };
    }

    private static int ofReason(String reason) {
        if (reason == null) return IO;
        String r = reason.toLowerCase(java.util.Locale.ROOT);
        if (r.contains("is a directory")) return ISDIR;
        if (r.contains("not a directory")) return NOTDIR;
        if (r.contains("directory not empty")) return NOTEMPTY;
        if (r.contains("symbolic link")) return LOOP;
        if (r.contains("operation not permitted")) return PERM;
        if (r.contains("permission denied")) return ACCES;
        if (r.contains("file exists")) return EXIST;
        if (r.contains("no such file")) return NOENT;
        if (r.contains("invalid argument")) return INVAL;
        if (r.contains("name too long")) return NAMETOOLONG;
        if (r.contains("read-only file system")) return ROFS;
        if (r.contains("no space left")) return NOSPC;
        if (r.contains("cross-device")) return XDEV;
        if (r.contains("too many links")) return MLINK;
        if (r.contains("file too large")) return FBIG;
        if (r.contains("broken pipe")) return PIPE;
        if (r.contains("connection reset")) return CONNRESET;
        if (r.contains("device or resource busy")) return BUSY;
        // EMFILE and ENFILE ("... in system") alike: to the guest, it holds too many descriptors.
        if (r.contains("too many open files")) return MFILE;
        if (r.contains("cannot allocate memory")) return NOMEM;
        return IO;
    }
}
