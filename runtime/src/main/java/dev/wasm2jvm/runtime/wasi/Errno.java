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
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /**
     * The errno for a Linux errno (x86_64 numbering): the one mapping of host failures, which the
     * JDK's reasons go through too. Running out of descriptors, for the process or the system, is
     * {@code EMFILE} either way: to the guest it means it holds too many.
     */
    static int ofLinux(int errno) {
        return switch (errno) {
            case 1 /* EPERM */ -> PERM;
            case 2 /* ENOENT */ -> NOENT;
            case 5 /* EIO */ -> IO;
            case 6 /* ENXIO */ -> NXIO;
            case 9 /* EBADF */ -> BADF;
            case 11 /* EAGAIN */ -> AGAIN;
            case 12 /* ENOMEM */ -> NOMEM;
            case 13 /* EACCES */ -> ACCES;
            case 14 /* EFAULT */ -> FAULT;
            case 16 /* EBUSY */ -> BUSY;
            case 17 /* EEXIST */ -> EXIST;
            case 18 /* EXDEV */ -> XDEV;
            case 19 /* ENODEV */ -> NODEV;
            case 20 /* ENOTDIR */ -> NOTDIR;
            case 21 /* EISDIR */ -> ISDIR;
            case 22 /* EINVAL */ -> INVAL;
            case 23 /* ENFILE */, 24 /* EMFILE */ -> MFILE;
            case 26 /* ETXTBSY */ -> TXTBSY;
            case 27 /* EFBIG */ -> FBIG;
            case 28 /* ENOSPC */ -> NOSPC;
            case 29 /* ESPIPE */ -> SPIPE;
            case 30 /* EROFS */ -> ROFS;
            case 31 /* EMLINK */ -> MLINK;
            case 32 /* EPIPE */ -> PIPE;
            case 36 /* ENAMETOOLONG */ -> NAMETOOLONG;
            case 38 /* ENOSYS */ -> NOSYS;
            case 39 /* ENOTEMPTY */ -> NOTEMPTY;
            case 40 /* ELOOP */ -> LOOP;
            case 75 /* EOVERFLOW */ -> OVERFLOW;
            case 84 /* EILSEQ */ -> ILSEQ;
            case 95 /* EOPNOTSUPP */ -> NOTSUP;
            case 104 /* ECONNRESET */ -> CONNRESET;
            case 116 /* ESTALE */ -> STALE;
            case 122 /* EDQUOT */ -> DQUOT;
            default -> IO;
        };
    }


    /**
     * The {@code strerror} texts that the JDK's failures carry as their reason, each with its Linux
     * errno; "too many open files" is {@code EMFILE} and {@code ENFILE} ("... in system") alike.
     */
    private static final List<Map.Entry<String, Integer>> REASONS = List.of(
            Map.entry("is a directory", 21),
            Map.entry("not a directory", 20),
            Map.entry("directory not empty", 39),
            Map.entry("symbolic link", 40),
            Map.entry("operation not permitted", 1),
            Map.entry("permission denied", 13),
            Map.entry("file exists", 17),
            Map.entry("no such file", 2),
            Map.entry("invalid argument", 22),
            Map.entry("name too long", 36),
            Map.entry("read-only file system", 30),
            Map.entry("no space left", 28),
            Map.entry("cross-device", 18),
            Map.entry("too many links", 31),
            Map.entry("file too large", 27),
            Map.entry("broken pipe", 32),
            Map.entry("connection reset", 104),
            Map.entry("device or resource busy", 16),
            Map.entry("too many open files", 24),
            Map.entry("cannot allocate memory", 12));

    private static int ofReason(String reason) {
        if (reason == null) return IO;
        String r = reason.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Integer> known : REASONS) {
            if (r.contains(known.getKey())) return ofLinux(known.getValue());
        }
        return IO;
    }
}
