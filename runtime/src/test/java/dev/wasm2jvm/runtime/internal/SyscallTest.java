package dev.wasm2jvm.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

class SyscallTest {
    private static final long SYS_CLOSE = 3;
    private static final long SYS_GETPID = 39;
    private static final int EBADF = 9;

    @Test
    void onlyLinuxOnX8664() {
        assertTrue(Syscall.available("linux", "amd64"));
        assertTrue(Syscall.available("linux", "x86_64"));
        assertFalse(Syscall.available("linux", "aarch64"));
        assertFalse(Syscall.available("mac os x", "x86_64"));
        assertFalse(Syscall.available("windows 11", "amd64"));
    }

    @Test
    void aCallReturnsWhatTheKernelReturns() {
        assumeTrue(Syscall.AVAILABLE, "not Linux on x86_64");
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(ProcessHandle.current().pid(), Syscall.call(arena, SYS_GETPID, 0, 0, 0, 0, 0, 0));
        }
    }

    @Test
    void aFailureIsMinusErrno() {
        assumeTrue(Syscall.AVAILABLE, "not Linux on x86_64");
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(-EBADF, Syscall.call(arena, SYS_CLOSE, -1, 0, 0, 0, 0, 0));
        }
    }
}
