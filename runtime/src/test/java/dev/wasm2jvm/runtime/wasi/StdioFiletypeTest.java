package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StdioFiletypeTest {
    @Test
    void terminalsAreThePseudoTerminalsTtysAndTheConsole() {
        for (String tty : new String[] {"/dev/pts/0", "/dev/pts/17", "/dev/tty", "/dev/tty1", "/dev/ttyS0", "/dev/console"}) {
            assertTrue(StdioFiletype.isTerminalDevice(tty), tty);
        }
        for (String other : new String[] {"pipe:[40123]", "socket:[512]", "/dev/null", "/tmp/out.txt",
                "/home/u/dev/pts/x", "anon_inode:[eventfd]"}) {
            assertFalse(StdioFiletype.isTerminalDevice(other), other);
        }
    }

    @Test
    void onlyStreamsOnTheProcesssOwnDescriptorsAreTheProcesss(@TempDir Path dir) throws IOException {
        assertEquals(0, StdioFiletype.processFd(new FileInputStream(FileDescriptor.in)));
        assertEquals(1, StdioFiletype.processFd(new FileOutputStream(FileDescriptor.out)));
        assertEquals(2, StdioFiletype.processFd(new FileOutputStream(FileDescriptor.err)));
        assertEquals(StdioFiletype.NOT_PROCESS, StdioFiletype.processFd(new ByteArrayInputStream(new byte[0])));
        assertEquals(StdioFiletype.NOT_PROCESS, StdioFiletype.processFd(new ByteArrayOutputStream()));
        Path file = Files.createFile(dir.resolve("f"));
        try (FileInputStream in = new FileInputStream(file.toFile()); FileOutputStream out = new FileOutputStream(file.toFile())) {
            assertEquals(StdioFiletype.NOT_PROCESS, StdioFiletype.processFd(in));
            assertEquals(StdioFiletype.NOT_PROCESS, StdioFiletype.processFd(out));
        }
    }

    @Test
    void theDefaultStreamsAreTheProcesssAndReplacingThemForgetsIt() {
        WasiOptions defaults = WasiOptions.builder().build();
        assertEquals(0, defaults.stdinFd);
        assertEquals(1, defaults.stdoutFd);
        assertEquals(2, defaults.stderrFd);

        WasiOptions swapped = WasiOptions.builder().stdin(new ByteArrayInputStream(new byte[0]))
                .stdout(new FileOutputStream(FileDescriptor.err)).stderr(new ByteArrayOutputStream()).build();
        assertEquals(StdioFiletype.NOT_PROCESS, swapped.stdinFd);
        assertEquals(2, swapped.stdoutFd);
        assertEquals(StdioFiletype.NOT_PROCESS, swapped.stderrFd);
    }

    @Test
    void anEmbeddersStreamIsNeverACharacterDevice() {
        assertEquals(Abi.FILETYPE_UNKNOWN, new StdioFiletype(StdioFiletype.NOT_PROCESS).get());
    }
}
