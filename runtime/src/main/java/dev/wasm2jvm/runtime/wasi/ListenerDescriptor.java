package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A preopened listening socket: it accepts connections and does nothing else. */
final class ListenerDescriptor extends SocketDescriptor {
    private final ServerSocketChannel channel;

    /** The descriptor of a preopened listening socket. */
    static Descriptor preopened(ServerSocketChannel channel) throws IOException {
        return new ListenerDescriptor(channel);
    }

    ListenerDescriptor(ServerSocketChannel channel) throws IOException {
        super(Rights.LISTENING_SOCKET, 0);
        this.channel = channel;
        channel.configureBlocking(false);
    }

    /** The next connection; waits for one unless the descriptor or {@code fdflags} say nonblocking. */
    SocketChannel accept(boolean nonblocking) throws IOException, InterruptedException {
        while (true) {
            SocketChannel accepted = channel.accept();
            if (accepted != null) return accepted;
            if (nonblocking || nonblocking()) throw new WasiError(Errno.AGAIN);
            await(channel, SelectionKey.OP_ACCEPT, 0);
        }
    }

    @Override
    boolean readReady() throws IOException {
        try {
            return await(channel, SelectionKey.OP_ACCEPT, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Ready for reading means a connection to accept; nothing can ever be written. */
    @Override
    int pollError(byte type) {
        if (type == Abi.EVENTTYPE_FD_READ) return (rightsBase() & Rights.SOCK_ACCEPT) != 0 ? 0 : Errno.BADF;
        return Errno.BADF;
    }

    @Override
    void shutdown(int how) {
        throw new WasiError(Errno.NOTCONN);
    }

    @Override
    void close() throws IOException {
        channel.close();
    }
}
