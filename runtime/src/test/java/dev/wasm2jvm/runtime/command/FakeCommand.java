package dev.wasm2jvm.runtime.command;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.WasmTrap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A hand-written stand-in for a generated module class: it exports a memory and a {@code _start}
 * that runs a test's body, which calls the WASI functions it was instantiated with.
 */
final class FakeCommand extends Instance {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final String WASI = "wasi_snapshot_preview1";

    private final Imports imports;
    private final Memory memory = new Memory(1, 1, false);

    FakeCommand(Imports imports, Consumer<FakeCommand> body) {
        super(imports);
        this.imports = imports;
        export("memory", memory);
        export("_start", FuncRef.host(":", args -> {
            body.accept(this);
            return null;
        }));
    }

    /** Writes {@code text} to stdout with fd_write. */
    void print(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment m = memory.segment();
        MemorySegment.copy(bytes, 0, m, ValueLayout.JAVA_BYTE, 1024, bytes.length);
        m.set(I32, 0, 1024);
        m.set(I32, 4, bytes.length);
        wasi("fd_write", 1, 0, 1, 8);
    }

    /** The program's arguments, read with args_sizes_get and args_get. */
    List<String> args() {
        wasi("args_sizes_get", 0, 4);
        int argc = memory.segment().get(I32, 0);
        wasi("args_get", 16, 1024);
        List<String> args = new ArrayList<>();
        for (int i = 0; i < argc; i++) args.add(string(memory.segment().get(I32, 16 + 4L * i)));
        return args;
    }

    /** The program's environment, read with environ_sizes_get and environ_get. */
    List<String> environ() {
        wasi("environ_sizes_get", 0, 4);
        int count = memory.segment().get(I32, 0);
        wasi("environ_get", 16, 1024);
        List<String> environ = new ArrayList<>();
        for (int i = 0; i < count; i++) environ.add(string(memory.segment().get(I32, 16 + 4L * i)));
        return environ;
    }

    void exit(int code) {
        wasi("proc_exit", code);
    }

    /** Traps here, so that the trap's innermost frame of this class is a method named {@code divide}. */
    static void divide() {
        throw new WasmTrap("integer divide by zero");
    }

    private void wasi(String function, Object... args) {
        Object[] results = ((FuncRef) imports.get(WASI, function)).call(args);
        if (results.length == 1 && (int) results[0] != 0) throw new AssertionError(function + " failed: " + results[0]);
    }

    private String string(int address) {
        return memory.segment().getString(address, StandardCharsets.UTF_8);
    }

    @Override
    protected FuncRef funcRef(int funcidx) {
        throw new UnsupportedOperationException();
    }

    @Override
    protected MethodHandle functionHandle(int funcidx) {
        throw new UnsupportedOperationException();
    }
}
