package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StdioTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Guest guest() throws Exception {
        return new Guest(WasiOptions.builder().stdin(new ByteArrayInputStream(new byte[0])).stdout(out).stderr(err)
                .build());
    }

    @Test
    void fdWriteGoesToTheCapturedStreams() throws Exception {
        Guest g = guest();
        assertEquals(6, g.write(1, "hello\n"));
        assertEquals(5, g.write(2, "oops\n"));
        assertEquals("hello\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("oops\n", err.toString(StandardCharsets.UTF_8));
        g.ok("fd_write", 1, g.iovec(g.string(""), 0), 1, g.alloc(4));
        g.ok("fd_write", 1, 0, 0, g.alloc(4));
        assertEquals("hello\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void invalidDescriptorsAreBadf() throws Exception {
        Guest g = guest();
        int data = g.string("x");
        assertEquals(Errno.BADF, g.call("fd_write", 3, g.iovec(data, 1), 1, g.alloc(4)));
        assertEquals(Errno.BADF, g.call("fd_write", -1, g.iovec(data, 1), 1, g.alloc(4)));
        assertEquals(Errno.BADF, g.call("fd_fdstat_get", 1000, g.alloc(24)));
        assertEquals(Errno.BADF, g.call("fd_close", 3));
    }

    @Test
    void embeddersStreamsAreOfUnknownTypeAndCannotSeek() throws Exception {
        Guest g = guest();
        int fdstat = g.alloc(24);
        int filestat = g.alloc(64);
        for (int fd = 0; fd <= 2; fd++) {
            g.ok("fd_fdstat_get", fd, fdstat);
            assertEquals(Abi.FILETYPE_UNKNOWN, g.read(fdstat, 1)[0], "not a character device: no tty to isatty()");
            assertEquals(0, g.i64(fdstat + 8) & (Rights.FD_SEEK | Rights.FD_TELL));
            g.ok("fd_filestat_get", fd, filestat);
            assertEquals(Abi.FILETYPE_UNKNOWN, g.read(filestat + 16, 1)[0]);
        }
        assertEquals(Errno.BADF, g.call("fd_seek", 1, 0L, Abi.WHENCE_CUR, g.alloc(8)));
        assertEquals(Errno.SPIPE, g.call("fd_pwrite", 1, g.iovec(g.string("x"), 1), 1, 0L, g.alloc(4)));
        g.ok("fd_filestat_get", 1, g.alloc(64));
    }

    @Test
    void closingStdoutFlushesButLeavesTheStreamToTheEmbedder() throws Exception {
        Guest g = guest();
        g.write(1, "last");
        g.ok("fd_close", 1);
        assertEquals(Errno.BADF, g.call("fd_write", 1, g.iovec(g.string("x"), 1), 1, g.alloc(4)));
        out.write('!');
        assertEquals("last!", out.toString(StandardCharsets.UTF_8));
    }
}
