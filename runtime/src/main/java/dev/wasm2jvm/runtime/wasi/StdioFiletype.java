package dev.wasm2jvm.runtime.wasi;

import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The filetype a standard stream reports, as wasmtime reports it: a character device when it is a
 * terminal, {@code FILETYPE_UNKNOWN} otherwise, be it a pipe, a file or an embedder's Java stream.
 * wasi-libc's {@code isatty} is true only for a character device, so a program whose output is
 * piped or redirected does not turn interactive (prompts, colours, line buffering).
 *
 * <p>The answer is looked up when the guest first asks rather than at start-up, which most
 * programs never need it for.
 */
final class StdioFiletype {
    /** What {@link #processFd} says of a stream that is not one of the process's descriptors 0, 1, 2. */
    static final int NOT_PROCESS = -1;

    private static final Path PROC_FDS = Path.of("/proc/self/fd");
    private static final byte UNRESOLVED = -1;

    private final int processFd;
    /** Resolved at most a few times, should threads race, always to the same value. */
    private volatile byte filetype = UNRESOLVED;

    /** The filetype of the process's descriptor {@code processFd}, or of an embedder's stream for -1. */
    StdioFiletype(int processFd) {
        this.processFd = processFd;
    }

    byte get() {
        byte type = filetype;
        if (type == UNRESOLVED) filetype = type = of(processFd);
        return type;
    }

    /** 0 when {@code in} reads the process's own standard input directly, else {@link #NOT_PROCESS}. */
    static int processFd(InputStream in) {
        try {
            if (in instanceof FileInputStream f && f.getFD() == FileDescriptor.in) return 0;
        } catch (IOException e) {
            // Only a stream without a descriptor fails, and it is not the process's.
        }
        return NOT_PROCESS;
    }

    /** 1 or 2 when {@code out} writes the process's own standard output or error directly, else -1. */
    static int processFd(OutputStream out) {
        try {
            if (out instanceof FileOutputStream f) {
                FileDescriptor fd = f.getFD();
                if (fd == FileDescriptor.out) return 1;
                if (fd == FileDescriptor.err) return 2;
            }
        } catch (IOException e) {
            // As for input: not the process's.
        }
        return NOT_PROCESS;
    }

    private static byte of(int processFd) {
        return processFd != NOT_PROCESS && isTerminal(processFd) ? Abi.FILETYPE_CHARACTER_DEVICE : Abi.FILETYPE_UNKNOWN;
    }

    /**
     * On Linux the kernel names what each descriptor is open on, which answers per descriptor with
     * one {@code readlink}. Elsewhere the JDK only says whether the process has a terminal on both
     * standard input and output, which stands for all three.
     */
    private static boolean isTerminal(int fd) {
        if (Files.isDirectory(PROC_FDS)) {
            try {
                return isTerminalDevice(Files.readSymbolicLink(PROC_FDS.resolve(Integer.toString(fd))).toString());
            } catch (IOException | RuntimeException e) {
                // Any failure to read the link (the JDK's UnsupportedOperationException among them)
                // is not a terminal; caught as RuntimeException, a class every JVM has loaded, where
                // naming the unsupported operation would have the verifier of this class, which every
                // start links, load that class from the runtime image.
                return false;
            }
        }
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    /** Whether a descriptor open on {@code target} (as {@code /proc/self/fd} names it) is a terminal. */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
