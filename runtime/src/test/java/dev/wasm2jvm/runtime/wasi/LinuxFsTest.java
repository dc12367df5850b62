package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasm2jvm.runtime.internal.Syscall;
import org.junit.jupiter.api.Test;

class LinuxFsTest {
    /** The host's file system is supported exactly where the system calls it makes are available. */
    @Test
    void isSupportedWhereTheSystemCallsAreAvailable() {
        assertEquals(Syscall.AVAILABLE, LinuxFs.supported());
    }
}
