package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads a blocking {@link InputStream} (such as the process's stdin) on a daemon thread, so that
 * guest threads wait for input interruptibly and poll_oneoff can wait for it with a timeout.
 * Reading happens only on demand: bytes are taken from the stream only when a guest waits for
 * them, so an embedder's stream is not drained ahead of the guest.
 */
final class InputPump {
    private static final int CHUNK = 8192;

    private final InputStream in;
    private final Wakeup wakeup;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private byte[] pending = new byte[0];
    private int start;
    private boolean wanted;
    private boolean eof;
    private IOException failure;
    private Thread thread;

    InputPump(InputStream in, Wakeup wakeup) {
        this.in = in;
        this.wakeup = wakeup;
    }

    /** Waits until input or end of input is there, then fills {@code buffers}; 0 means end of input. */
    long read(ByteBuffer[] buffers, boolean nonblocking) throws IOException, InterruptedException {
        long space = 0;
        for (ByteBuffer b : buffers) space += b.remaining();
        if (space == 0) return 0;
        lock.lock();
        try {
            while (available() == 0 && !eof && failure == null) {
                request();
                if (nonblocking) throw new WasiError(Errno.AGAIN);
                changed.await();
            }
            if (available() == 0 && failure != null) {
                IOException e = failure;
                failure = null;
                throw e;
            }
            long total = 0;
            for (ByteBuffer b : buffers) {
                int n = Math.min(b.remaining(), available());
                b.put(pending, start, n);
                start += n;
                total += n;
            }
            return total;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a read would return at once; if not, asks the pump for input and signals the wakeup when it comes. */
    boolean ready() {
        lock.lock();
        try {
            if (available() > 0 || eof || failure != null) return true;
            request();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The bytes a read would return at once. */
    long buffered() {
        lock.lock();
        try {
            return available();
        } finally {
            lock.unlock();
        }
    }

    private void request() {
        wanted = true;
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("wasi-stdin").start(this::pump);
        } else {
            changed.signalAll();
        }
    }

    private void pump() {
        byte[] chunk = new byte[CHUNK];
        while (true) {
            lock.lock();
            try {
                while (!wanted) changed.awaitUninterruptibly();
            } finally {
                lock.unlock();
            }
            int n;
            IOException error = null;
            try {
                n = in.read(chunk);
            } catch (IOException e) {
                n = 0;
                error = e;
            }
            lock.lock();
            try {
                wanted = false;
                if (error != null) failure = error;
                else if (n < 0) eof = true;
                else append(chunk, n);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            wakeup.signal();
            if (n < 0) return;
        }
    }

    private void append(byte[] chunk, int n) {
        byte[] joined = new byte[available() + n];
        System.arraycopy(pending, start, joined, 0, available());
        System.arraycopy(chunk, 0, joined, available(), n);
        pending = joined;
        start = 0;
    }

    private int available() {
        return pending.length - start;
    }
}
