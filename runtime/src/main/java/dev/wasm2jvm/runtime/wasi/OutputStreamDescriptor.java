package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A writable stream such as stdout. Each fd_write is gathered into one array and written and
 * flushed under the lock, so concurrent writers never interleave within a call. The stream belongs
 * to the embedder: closing the descriptor flushes it but leaves it open.
 */
final class OutputStreamDescriptor extends Descriptor {
    private final OutputStream out;

    OutputStreamDescriptor(OutputStream out) {
        super(Rights.STREAM & ~Rights.FD_READ, 0, 0);
        this.out = out;
    }

    @Override
    byte filetype() {
        return Abi.FILETYPE_CHARACTER_DEVICE;
    }

    @Override
    long write(ByteBuffer[] buffers) throws IOException {
        long total = 0;
        for (ByteBuffer b : buffers) total += b.remaining();
        byte[] bytes = new byte[(int) total];
        int at = 0;
        for (ByteBuffer b : buffers) {
            int n = b.remaining();
            b.get(bytes, at, n);
            at += n;
        }
        lock.lock();
        try {
            out.write(bytes);
            out.flush();
        } finally {
            lock.unlock();
        }
        return total;
    }

    @Override
    void sync(boolean metadata) throws IOException {
        flush();
    }

    @Override
    boolean readReady() {
        return false;
    }

    void flush() throws IOException {
        lock.lock();
        try {
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    @Override
    void close() throws IOException {
        flush();
    }
}
