package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;

/**
 * A socket. Its channel is always in non-blocking mode: a blocking call waits on a selector,
 * which an interrupt wakes without closing the channel (a blocking channel would be closed).
 */
abstract class SocketDescriptor extends Descriptor {
    SocketDescriptor(long rightsBase, int fdflags) {
        super(rightsBase, 0, fdflags);
    }

    @Override
    byte filetype() {
        return Abi.FILETYPE_SOCKET_STREAM;
    }

    abstract void shutdown(int how) throws IOException;

    /**
     * Whether {@code channel} is ready for {@code ops}, waiting up to {@code timeoutMillis} for it:
     * 0 waits as long as it takes, a negative value not at all.
     */
    static boolean await(SelectableChannel channel, int ops, long timeoutMillis)
            throws IOException, InterruptedException {
        try (Selector selector = Selector.open()) {
            channel.register(selector, ops);
            int ready = timeoutMillis < 0 ? selector.selectNow() : selector.select(timeoutMillis);
            if (Thread.interrupted()) throw new InterruptedException();
            return ready > 0;
        }
    }
}
