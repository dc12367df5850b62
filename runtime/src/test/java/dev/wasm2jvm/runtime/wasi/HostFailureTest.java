package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasm2jvm.runtime.WasmTrap;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Whatever the host code of a WASI function meets, the guest sees an errno or a trap, never a JDK
 * exception: failures of the embedder's streams are errnos, errors of the JVM itself traps that name
 * the function.
 */
class HostFailureTest {
    /** A stream that takes {@code accepted} bytes, then throws what {@code failure} gives at every write. */
    private static final class FailingStream extends OutputStream {
        private final long accepted;
        private final Supplier<Throwable> failure;
        long taken;

        FailingStream(long accepted, Supplier<Throwable> failure) {
            this.accepted = accepted;
            this.failure = failure;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (taken + len > accepted) {
                Throwable t = failure.get();
                if (t instanceof IOException e) throw e;
                if (t instanceof RuntimeException e) throw e;
                throw (Error) t;
            }
            taken += len;
        }
    }

    private static Guest guestWritingTo(OutputStream stdout) throws IOException {
        return new Guest(WasiOptions.builder().stdout(stdout).build(), 8);
    }

    private static int write(Guest g, int length, int nwritten) {
        return g.call("fd_write", 1, g.iovec(2 * 65536, length), 1, nwritten);
    }

    @Test
    void anUncheckedFailureOfTheStreamIsEio() throws Exception {
        Guest g = guestWritingTo(new FailingStream(0, () -> new IllegalStateException("embedder bug")));
        assertEquals(Errno.IO, write(g, 10, g.alloc(4)));
    }

    @Test
    void anUncheckedIoFailureIsMappedByItsCause() throws Exception {
        Guest g = guestWritingTo(new FailingStream(0, () -> new UncheckedIOException(new IOException("Broken pipe"))));
        assertEquals(Errno.PIPE, write(g, 10, g.alloc(4)));
    }

    /** As POSIX write: the bytes taken before the failure are the call's result; the next call meets the failure. */
    @Test
    void aFailureAfterSomeBytesReportsThoseBytes() throws Exception {
        FailingStream stream = new FailingStream(OutputStreamDescriptor.CHUNK, () -> new IOException("No space left on device"));
        Guest g = guestWritingTo(stream);
        int nwritten = g.alloc(4);
        assertEquals(Errno.SUCCESS, write(g, 3 * OutputStreamDescriptor.CHUNK, nwritten));
        assertEquals(OutputStreamDescriptor.CHUNK, g.i32(nwritten));
        assertEquals(Errno.NOSPC, write(g, 1, nwritten));
    }

    @Test
    void runningOutOfMemoryIsATrapNamingTheFunction() throws Exception {
        Guest g = guestWritingTo(new FailingStream(0, () -> new OutOfMemoryError("Java heap space")));
        WasmTrap trap = assertThrows(WasmTrap.class, () -> write(g, 10, g.alloc(4)));
        assertEquals("host out of memory in WASI function fd_write", trap.getMessage());
        assertInstanceOf(OutOfMemoryError.class, trap.getCause());
    }

    @Test
    void aStackOverflowIsTheCallStackExhausted() throws Exception {
        Guest g = guestWritingTo(new FailingStream(0, StackOverflowError::new));
        WasmTrap trap = assertThrows(WasmTrap.class, () -> write(g, 10, g.alloc(4)));
        assertEquals("call stack exhausted", trap.getMessage());
    }

    @Test
    void anyOtherErrorOfTheJvmIsATrapNamingTheFunction() throws Exception {
        Guest g = guestWritingTo(new FailingStream(0, () -> new NoClassDefFoundError("gone")));
        WasmTrap trap = assertThrows(WasmTrap.class, () -> write(g, 10, g.alloc(4)));
        assertEquals("host failure in WASI function fd_write", trap.getMessage());
    }

    /** proc_exit flushes the streams, and a stream failing then still lets the program exit with its status. */
    @Test
    void procExitExitsThoughTheStreamFailsToFlush() throws Exception {
        OutputStream stdout = new OutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void flush() {
                throw new IllegalStateException("embedder bug");
            }
        };
        Guest g = guestWritingTo(stdout);
        WasiExit exit = assertThrows(WasiExit.class, () -> g.call("proc_exit", 3));
        assertEquals(3, exit.exitCode());
    }
}
