package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Plays the guest in tests: calls the WASI functions through the handles {@link WasiPreview1#addTo}
 * registers, with arguments placed in a real {@link Memory}, from {@link #SCRATCH} upwards.
 */
final class Guest {
    static final int SCRATCH = 1024;

    final WasiPreview1 wasi;
    final Memory memory;
    private final Imports imports = new Imports();
    private int next = SCRATCH;

    Guest(WasiOptions options) throws IOException {
        this(new WasiPreview1(options), 2);
    }

    /** A guest whose memory has {@code pages} pages. */
    Guest(WasiOptions options, int pages) throws IOException {
        this(new WasiPreview1(options), pages);
    }

    /** A guest whose paths are resolved by {@code resolver}, to test each way of resolving. */
    Guest(WasiOptions options, PathResolver resolver) throws IOException {
        this(new WasiPreview1(options, resolver), 2);
    }

    private Guest(WasiPreview1 wasi, int pages) {
        this.wasi = wasi;
        memory = new Memory(pages, pages, false);
        wasi.addTo(imports);
        wasi.bind(memory);
    }

    FuncRef function(String name) {
        return (FuncRef) imports.get(WasiPreview1.MODULE, name);
    }

    /** Calls {@code name} and returns its errno. */
    int call(String name, Object... args) {
        try {
            return (int) function(name).handle().invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Calls {@code name} and checks that it succeeded. */
    void ok(String name, Object... args) {
        assertEquals(0, call(name, args), name + " errno");
    }

    int alloc(int size) {
        int at = (next + 7) & ~7;
        next = at + size;
        return at;
    }

    int bytes(byte[] data) {
        int at = alloc(data.length);
        memory.writeBytes(at, data, 0, data.length);
        return at;
    }

    int string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    static int length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A one-element iovec array over {@code length} bytes at {@code buf}. */
    int iovec(int buf, int length) {
        int at = alloc(8);
        memory.writeI32(at, buf);
        memory.writeI32(at + 4, length);
        return at;
    }

    int i32(int address) {
        return memory.readI32(address);
    }

    long i64(int address) {
        return memory.readI64(address);
    }

    byte[] read(int address, int length) {
        byte[] out = new byte[length];
        memory.readBytes(address, out, 0, length);
        return out;
    }

    String text(int address, int length) {
        return new String(read(address, length), StandardCharsets.UTF_8);
    }

    /** Opens {@code path} under directory {@code dirFd}, checking that it succeeds; returns the new fd. */
    int open(int dirFd, String path, int oflags, long rightsBase, long rightsInheriting, int fdflags) {
        int result = alloc(4);
        int errno = call("path_open", dirFd, 0, string(path), length(path), oflags, rightsBase, rightsInheriting,
                fdflags, result);
        assertEquals(0, errno, "path_open " + path);
        return i32(result);
    }

    int openErrno(int dirFd, int lookupflags, String path, int oflags, long rightsBase) {
        return call("path_open", dirFd, lookupflags, string(path), length(path), oflags, rightsBase, 0L, 0,
                alloc(4));
    }

    int write(int fd, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        int nwritten = alloc(4);
        ok("fd_write", fd, iovec(bytes(data), data.length), 1, nwritten);
        return i32(nwritten);
    }

    String readString(int fd, int max) {
        int buf = alloc(max);
        int nread = alloc(4);
        ok("fd_read", fd, iovec(buf, max), 1, nread);
        return text(buf, i32(nread));
    }

    /** Forgets the scratch allocations; tests that loop call it to stay within the memory. */
    void reset() {
        next = SCRATCH;
    }
}
