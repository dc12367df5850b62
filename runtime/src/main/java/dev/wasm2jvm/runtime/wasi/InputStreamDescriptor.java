package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** A readable stream such as stdin: no position, no seeking; reads block until input comes. */
final class InputStreamDescriptor extends Descriptor {
    private final InputStream in;
    private final Wakeup wakeup;
    private final StdioFiletype filetype;
    /** Made at the first read or poll of the stream: most programs never read their input. */
    private InputPump pump;

    /** The stream {@code in}, whose input signals {@code wakeup} when it comes. */
    InputStreamDescriptor(InputStream in, Wakeup wakeup, StdioFiletype filetype) {
        super(Rights.STREAM & ~Rights.FD_WRITE, 0, 0);
        this.in = in;
        this.wakeup = wakeup;
        this.filetype = filetype;
    }

    private synchronized InputPump pump() {
        if (pump == null) pump = new InputPump(in, wakeup);
        return pump;
    }

    @Override
    byte filetype() {
        return filetype.get();
    }

    @Override
    long read(ByteBuffer[] buffers) throws IOException, InterruptedException {
        lock.lockInterruptibly();
        try {
            return pump().read(buffers, nonblocking());
        } finally {
            lock.unlock();
        }
    }

    @Override
    boolean readReady() {
        return pump().ready();
    }

    @Override
    long readableBytes() {
        return pump().buffered();
    }

    @Override
    boolean signalsReadiness() {
        return true;
    }
}
