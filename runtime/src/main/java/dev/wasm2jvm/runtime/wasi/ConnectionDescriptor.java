package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A connected stream socket, from sock_accept. Peeked bytes are kept here until a read takes
 * them, since the JDK has no MSG_PEEK.
 */
final class ConnectionDescriptor extends SocketDescriptor {
    /**
     * The most bytes a peek returns, or one read takes, since they pass through the heap. Linux's
     * {@code MSG_PEEK} sees no more than the socket's receive buffer, by default 128 KiB, either.
     */
    private static final int PEEK_LIMIT = 128 * 1024;

    private final SocketChannel channel;
    /** Replaced and consumed under the lock; volatile for poll_oneoff, which looks without it. */
    private volatile ByteBuffer peeked = ByteBuffer.allocate(0);

    ConnectionDescriptor(SocketChannel channel, int fdflags) throws IOException {
        super(Rights.CONNECTED_SOCKET, fdflags);
        this.channel = channel;
        channel.configureBlocking(false);
    }

    @Override
    long read(ByteBuffer[] buffers) throws IOException, InterruptedException {
        return receive(buffers, false, false);
    }

    /** sock_recv: reads as fd_read does; {@code peek} leaves the bytes to be read again. */
    long receive(ByteBuffer[] buffers, boolean peek, boolean waitAll) throws IOException, InterruptedException {
        lock.lockInterruptibly();
        try {
            long wanted = 0;
            for (ByteBuffer b : buffers) wanted += b.remaining();
            if (wanted == 0) return 0;
            // One read of as much as is wanted (bounded, as it passes through the heap), as recv takes
            // what the socket has: a read of one byte would make a call, and a system call, a byte.
            if (peek || !peeked.hasRemaining()) fillPeeked(Math.min(wanted, PEEK_LIMIT), waitAll && peek);
            if (peek) {
                ByteBuffer view = peeked.duplicate();
                return copy(view, buffers);
            }
            long total = copy(peeked, buffers);
            while (waitAll && total < wanted) {
                fillPeeked(Math.min(wanted - total, PEEK_LIMIT), false);
                if (!peeked.hasRemaining()) break;
                total += copy(peeked, buffers);
            }
            return total;
        } finally {
            lock.unlock();
        }
    }

    /** Reads from the channel into the peek buffer until it holds {@code want} bytes (or one read, unless {@code all}). */
    private void fillPeeked(long want, boolean all) throws IOException, InterruptedException {
        while (peeked.remaining() < want) {
            ByteBuffer more = ByteBuffer.allocate((int) Math.min(Math.max(want - peeked.remaining(), 1), 1 << 16));
            int n = channel.read(more);
            if (n < 0) return;
            if (n == 0) {
                if (peeked.hasRemaining() && !all) return;
                if (nonblocking()) {
                    if (peeked.hasRemaining()) return;
                    throw new WasiError(Errno.AGAIN);
                }
                await(channel, SelectionKey.OP_READ, 0);
                continue;
            }
            more.flip();
            ByteBuffer joined = ByteBuffer.allocate(peeked.remaining() + more.remaining());
            joined.put(peeked).put(more).flip();
            peeked = joined;
            if (!all) return;
        }
    }

    private static long copy(ByteBuffer from, ByteBuffer[] to) {
        long total = 0;
        for (ByteBuffer b : to) {
            int n = Math.min(b.remaining(), from.remaining());
            b.put(b.position(), from, from.position(), n);
            b.position(b.position() + n);
            from.position(from.position() + n);
            total += n;
        }
        return total;
    }

    /** As POSIX {@code send}: a failure after some bytes were sent reports those bytes. */
    @Override
    long write(ByteBuffer[] buffers) throws IOException, InterruptedException {
        lock.lockInterruptibly();
        try {
            long total = 0;
            try {
                for (ByteBuffer b : buffers) {
                    while (b.hasRemaining()) {
                        int n = channel.write(b);
                        total += n;
                        if (n == 0) {
                            if (nonblocking()) {
                                if (total == 0) throw new WasiError(Errno.AGAIN);
                                return total;
                            }
                            await(channel, SelectionKey.OP_WRITE, 0);
                        }
                    }
                }
            } catch (IOException e) {
                if (total == 0 || e instanceof ClosedByInterruptException) throw e;
            }
            return total;
        } finally {
            lock.unlock();
        }
    }

    @Override
    boolean readReady() throws IOException {
        if (peeked.hasRemaining()) return true;
        try {
            return await(channel, SelectionKey.OP_READ, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    long readableBytes() {
        return peeked.remaining();
    }

    @Override
    boolean writeReady() {
        try {
            return await(channel, SelectionKey.OP_WRITE, -1);
        } catch (IOException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    void shutdown(int how) throws IOException {
        if (how == 0 || (how & ~(Abi.SDFLAGS_RD | Abi.SDFLAGS_WR)) != 0) throw new WasiError(Errno.INVAL);
        if ((how & Abi.SDFLAGS_RD) != 0) channel.shutdownInput();
        if ((how & Abi.SDFLAGS_WR) != 0) channel.shutdownOutput();
    }

    @Override
    void close() throws IOException {
        channel.close();
    }
}
