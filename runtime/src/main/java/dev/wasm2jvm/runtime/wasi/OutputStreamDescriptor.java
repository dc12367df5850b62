package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A writable stream such as stdout. Each fd_write is written and flushed under the lock, so
 * concurrent writers never interleave within a call. The bytes go from guest memory to the stream
 * through one reused buffer of {@value #CHUNK} bytes, so that a write of any size needs no more
 * host memory than that. The stream belongs to the embedder: closing the descriptor flushes it but
 * leaves it open.
 */
final class OutputStreamDescriptor extends Descriptor {
    static final int CHUNK = 64 * 1024;

    private final OutputStream out;
    private final StdioFiletype filetype;
    /** Guarded by the lock; allocated by the first write. */
    private byte[] chunk;

    OutputStreamDescriptor(OutputStream out, StdioFiletype filetype) {
        super(Rights.STREAM & ~Rights.FD_READ, 0, 0);
        this.out = out;
        this.filetype = filetype;
    }

    @Override
    byte filetype() {
        return filetype.get();
    }

    /**
     * As POSIX {@code write}: when the stream fails after taking some bytes, the call reports those
     * bytes, and the failure is left for the next call to meet.
     */
    @Override
    long write(ByteBuffer[] buffers) throws IOException {
        lock.lock();
        try {
            if (chunk == null) chunk = new byte[CHUNK];
            long written = 0;
            try {
                for (ByteBuffer b : buffers) {
                    while (b.hasRemaining()) {
                        int n = Math.min(b.remaining(), CHUNK);
                        b.get(chunk, 0, n);
                        out.write(chunk, 0, n);
                        written += n;
                    }
                }
                out.flush();
            } catch (IOException e) {
                if (written == 0) throw e;
            }
            return written;
        } finally {
            lock.unlock();
        }
    }

    @Override
    void sync(boolean metadata) throws IOException {
        flush();
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
