package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A readable stream such as stdin: no position, no seeking; reads block until input comes. */
final class InputStreamDescriptor extends Descriptor {
    private final InputPump pump;
    private final StdioFiletype filetype;

    InputStreamDescriptor(InputPump pump, StdioFiletype filetype) {
        super(Rights.STREAM & ~Rights.FD_WRITE, 0, 0);
        this.pump = pump;
        this.filetype = filetype;
    }

    @Override
    byte filetype() {
        return filetype.get();
    }

    @Override
    long read(ByteBuffer[] buffers) throws IOException, InterruptedException {
        lock.lockInterruptibly();
        try {
            return pump.read(buffers, nonblocking());
        } finally {
            lock.unlock();
        }
    }

    @Override
    boolean readReady() {
        return pump.ready();
    }

    @Override
    long readableBytes() {
        return pump.buffered();
    }

    @Override
    boolean signalsReadiness() {
        return true;
    }
}
