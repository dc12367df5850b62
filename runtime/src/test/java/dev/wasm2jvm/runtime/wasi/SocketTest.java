package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SocketTest {
    private static final int LISTENER = 3;

    ServerSocketChannel server;
    Guest g;

    @BeforeEach
    void setUp() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        g = new Guest(WasiOptions.builder().preopenSocket(server).build());
    }

    @AfterEach
    void tearDown() throws IOException {
        g.wasi.close();
        server.close();
    }

    @Test
    void acceptReceiveSendShutdown() throws IOException {
        int fdOut = g.alloc(4);
        assertEquals(Errno.AGAIN, g.call("sock_accept", LISTENER, Abi.FDFLAGS_NONBLOCK, fdOut));
        assertEquals(Errno.BADF, g.call("fd_prestat_get", LISTENER, g.alloc(8)));

        try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
            g.ok("sock_accept", LISTENER, 0, fdOut);
            int conn = g.i32(fdOut);
            int fdstat = g.alloc(24);
            g.ok("fd_fdstat_get", conn, fdstat);
            assertEquals(Abi.FILETYPE_SOCKET_STREAM, g.read(fdstat, 1)[0]);

            client.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
            int buf = g.alloc(16);
            int len = g.alloc(4);
            int flags = g.alloc(4);
            g.ok("sock_recv", conn, g.iovec(buf, 3), 1, Abi.RIFLAGS_RECV_PEEK | Abi.RIFLAGS_RECV_WAITALL, len, flags);
            assertEquals("hel", g.text(buf, g.i32(len)));
            g.ok("sock_recv", conn, g.iovec(buf, 5), 1, Abi.RIFLAGS_RECV_WAITALL, len, flags);
            assertEquals("hello", g.text(buf, g.i32(len)));

            int data = g.string("world");
            g.ok("sock_send", conn, g.iovec(data, 5), 1, 0, len);
            assertEquals(5, g.i32(len));
            ByteBuffer received = ByteBuffer.allocate(5);
            while (received.hasRemaining()) client.read(received);
            assertEquals("world", new String(received.array(), StandardCharsets.UTF_8));

            g.ok("sock_shutdown", conn, Abi.SDFLAGS_WR);
            assertEquals(-1, client.read(ByteBuffer.allocate(1)));
            client.shutdownOutput();
            g.ok("sock_recv", conn, g.iovec(buf, 5), 1, 0, len, flags);
            assertEquals(0, g.i32(len), "end of stream");
            g.ok("fd_close", conn);
        }
    }

    /** A read takes what the connection has, as {@code recv} does, not a byte a call. */
    @Test
    void aReadTakesWhatTheConnectionHas() throws IOException {
        int fdOut = g.alloc(4);
        try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
            g.ok("sock_accept", LISTENER, 0, fdOut);
            int conn = g.i32(fdOut);
            byte[] sent = new byte[1000];
            for (int i = 0; i < sent.length; i++) sent[i] = (byte) (i * 31);
            client.write(ByteBuffer.wrap(sent));
            client.shutdownOutput();
            int buf = g.alloc(sent.length);
            int iov = g.alloc(8);
            int nread = g.alloc(4);
            int received = 0;
            int reads = 0;
            while (true) {
                g.memory.writeI32(iov, buf + received);
                g.memory.writeI32(iov + 4, sent.length - received);
                g.ok("fd_read", conn, iov, 1, nread);
                if (g.i32(nread) == 0) break;
                received += g.i32(nread);
                reads++;
            }
            assertEquals(sent.length, received);
            assertEquals(new String(sent, StandardCharsets.ISO_8859_1),
                    new String(g.read(buf, received), StandardCharsets.ISO_8859_1));
            assertTrue(reads <= 10, reads + " reads for " + sent.length + " bytes");
        }
    }

    @Test
    void pollSeesConnectionsAndDataAndNonblockingCallsDoNotWait() throws Exception {
        int in = g.alloc(96);
        int out = g.alloc(64);
        int n = g.alloc(4);
        subscribeRead(in, LISTENER);
        clock(in + 48, 10_000_000_000L);
        try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
            g.ok("poll_oneoff", in, out, 2, n);
            assertEquals(1, g.i32(n));
            assertEquals(Abi.EVENTTYPE_FD_READ, g.read(out + 10, 1)[0]);
            int fdOut = g.alloc(4);
            g.ok("sock_accept", LISTENER, Abi.FDFLAGS_NONBLOCK, fdOut);
            int conn = g.i32(fdOut);

            int buf = g.alloc(8);
            assertEquals(Errno.AGAIN, g.call("sock_recv", conn, g.iovec(buf, 8), 1, 0, g.alloc(4), g.alloc(4)));
            subscribeRead(in, conn);
            CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(50);
                    client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long start = System.nanoTime();
            g.ok("poll_oneoff", in, out, 2, n);
            assertTrue(System.nanoTime() - start < 5_000_000_000L);
            assertEquals(1, g.i32(n));
            assertEquals(1, g.i64(out), "the socket, not the clock");
        }
    }

    private void subscribeRead(int at, int fd) {
        g.memory.writeI64(at, 1);
        g.memory.writeBytes(at + 8, new byte[] {Abi.EVENTTYPE_FD_READ}, 0, 1);
        g.memory.writeI32(at + 16, fd);
    }

    private void clock(int at, long timeout) {
        g.memory.writeI64(at, 2);
        g.memory.writeBytes(at + 8, new byte[] {Abi.EVENTTYPE_CLOCK}, 0, 1);
        g.memory.writeI32(at + 16, Abi.CLOCKID_MONOTONIC);
        g.memory.writeI64(at + 24, timeout);
        g.memory.writeI64(at + 32, 0);
        g.memory.writeI32(at + 40, 0);
    }

    @Test
    void socketFunctionsOnOtherDescriptors() {
        assertEquals(Errno.NOTSOCK, g.call("sock_shutdown", 1, Abi.SDFLAGS_RD));
        assertEquals(Errno.BADF, g.call("sock_shutdown", 42, Abi.SDFLAGS_RD));
        assertEquals(Errno.NOTSOCK, g.call("sock_accept", 1, 0, g.alloc(4)));
        assertEquals(Errno.NOTCONN, g.call("sock_shutdown", LISTENER, Abi.SDFLAGS_RD));
    }
}
