package dev.wasm2jvm.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The standard streams a CLI invocation reads and writes: those of the process, or a test's. The
 * program run by {@code run} uses them as its own, and the CLI's messages go to them too.
 * {@code process} says whether they are the process's, which may be a terminal.
 */
record Streams(InputStream in, OutputStream out, OutputStream err, boolean process) {
    Streams(InputStream in, OutputStream out, OutputStream err) {
        this(in, out, err, false);
    }

    /**
     * The process's streams, unbuffered: the program's writes are its system calls, which it
     * buffers itself as it would natively.
     */
    static Streams ofProcess() {
        return new Streams(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), true);
    }

    /**
     * Whether these are a terminal, where the CLI may draw progress. Asked only by a compilation:
     * finding the console loads a service and its provider's classes, which a run of cached classes
     * would pay for at every start.
     */
    boolean interactive() {
        return process && System.console() != null && System.console().isTerminal();
    }

    PrintStream errPrinter() {
        return new PrintStream(err, true, StandardCharsets.UTF_8);
    }

    PrintStream outPrinter() {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }
}
