package dev.wasm2jvm.runtime.wasi;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/** args, environ, random_get and the proc_* and sched_* functions. */
final class ProcessFunctions {
    /** random_get fills guest memory in pieces of this size, so a huge request needs no huge array. */
    private static final int RANDOM_CHUNK = 64 * 1024;

    private final GuestMemory memory;
    private final byte[][] args;
    private final byte[][] environ;
    private final Runnable beforeExit;
    /**
     * Made on the first random_get where the kernel has no random device: setting up the security
     * providers loads hundreds of classes, which a program that never asks for randomness should
     * not wait for.
     */
    private SecureRandom random;

    ProcessFunctions(GuestMemory memory, List<String> args, List<String> environ, Runnable beforeExit) {
        this.memory = memory;
        this.args = encode(args);
        this.environ = encode(environ);
        this.beforeExit = beforeExit;
    }

    private static byte[][] encode(List<String> strings) {
        byte[][] encoded = new byte[strings.size()][];
        for (int i = 0; i < encoded.length; i++) encoded[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
        return encoded;
    }

    int args_get(int argv, int argvBuf) {
        try {
            writeStrings(args, argv, argvBuf);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int args_sizes_get(int argc, int argvBufSize) {
        try {
            writeSizes(args, argc, argvBufSize);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int environ_get(int environPtr, int environBuf) {
        try {
            writeStrings(environ, environPtr, environBuf);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int environ_sizes_get(int count, int bufSize) {
        try {
            writeSizes(environ, count, bufSize);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    /**
     * An array of pointers at {@code pointers}, to the NUL-terminated strings packed at {@code buf}.
     * Both areas are checked first, so that a failure writes nothing, and so that no address
     * computed in 32 bits wraps from the end of a 4 GiB memory to its start.
     */
    private void writeStrings(byte[][] strings, int pointers, int buf) {
        long total = 0;
        for (byte[] s : strings) total += s.length + 1;
        memory.check(pointers, 4L * strings.length);
        memory.check(buf, total);
        int at = buf;
        for (int i = 0; i < strings.length; i++) {
            memory.putI32(pointers + 4 * i, at);
            memory.put(at, strings[i], 0, strings[i].length);
            memory.putU8(at + strings[i].length, (byte) 0);
            at += strings[i].length + 1;
        }
    }

    private void writeSizes(byte[][] strings, int count, int size) {
        int total = 0;
        for (byte[] s : strings) total += s.length + 1;
        memory.putI32(count, strings.length);
        memory.putI32(size, total);
    }

    private synchronized SecureRandom random() {
        if (random == null) random = new SecureRandom();
        return random;
    }

    /**
     * The kernel's random device, opened at the first random_get of any host: what the JDK's
     * default {@code SecureRandom} reads on Linux, without the security providers' set-up (some 60
     * classes outside the CDS archive, and a spun lambda), which every Rust program paid at its
     * start, since its standard library seeds its hash maps. Null where there is no such device.
     */
    private static final class Urandom {
        static final FileInputStream DEVICE = open();

        private static FileInputStream open() {
            try {
                return new FileInputStream("/dev/urandom");
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** Fills {@code bytes} with random bytes, from the kernel's random device where there is one. */
    private void fill(byte[] bytes, int length) throws IOException {
        FileInputStream device = Urandom.DEVICE;
        if (device == null) {
            random().nextBytes(bytes);
        } else if (device.readNBytes(bytes, 0, length) != length) {
            throw new IOException("end of /dev/urandom");
        }
    }

    int random_get(int buf, int bufLen) {
        try {
            long length = Integer.toUnsignedLong(bufLen);
            memory.check(buf, length);
            byte[] chunk = new byte[(int) Math.min(length, RANDOM_CHUNK)];
            for (long done = 0; done < length; done += chunk.length) {
                int n = (int) Math.min(chunk.length, length - done);
                fill(chunk, n);
                memory.put(buf + (int) done, chunk, 0, n);
            }
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    void proc_exit(int code) {
        try {
            beforeExit.run();
        } catch (Error e) {
            throw Calls.hostFailure("proc_exit", e);
        }
        throw new WasiExit(code);
    }

    /** Signals are not delivered to wasm code on the JVM; raising one is not supported. */
    int proc_raise(int sig) {
        return Errno.NOSYS;
    }

    int sched_yield() {
        Thread.yield();
        return Errno.SUCCESS;
    }
}
