package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.module.ValType;

import java.util.List;

/**
 * A WASI command of {@value #VALUES} small functions, more than one JVM class can hold: value
 * function k returns {@link #value}(k); {@code sum} calls them all and adds their results (a body
 * far larger than one method), {@code byIndex} calls one through a table holding them all, and
 * {@code _start} checks both and a reference to a function, and exits with {@link #EXIT_OK} if they
 * are right.
 */
public final class LargeModule {
    public static final int VALUES = 20_000;
    /** The exit code of {@code _start} when sum and byIndex are right, 1 otherwise. */
    public static final int EXIT_OK = 42;
    /** The funcidx of value function 0: after the one import, {@code proc_exit}. */
    public static final int FIRST_VALUE = 1;

    private LargeModule() {}

    /** The result of value function {@code k}: distinct for every k, most needing a constant of their own. */
    public static int value(int k) {
        return k * 100_003 + 7;
    }

    /** The sum, wrapping as i32.add does, of every value function's result. */
    public static int sum() {
        int sum = 0;
        for (int k = 0; k < VALUES; k++) sum += value(k);
        return sum;
    }

    /** The module, exporting value functions 0, 12345 and the last. */
    public static byte[] build() {
        return build(false);
    }

    /** The module, exporting every value function as {@code value<k>} if {@code exportAll}, else three of them. */
    public static byte[] build(boolean exportAll) {
        ModuleBuilder m = new ModuleBuilder();
        int valueType = m.type(List.of(), List.of(ValType.I32));
        int exitType = m.type(List.of(ValType.I32), List.of());
        int indexType = m.type(List.of(ValType.I32), List.of(ValType.I32));
        int startType = m.type(List.of(), List.of());
        int procExit = m.importFunction("wasi_snapshot_preview1", "proc_exit", exitType);
        int[] values = new int[VALUES];
        for (int k = 0; k < VALUES; k++) values[k] = m.function(valueType, List.of(), new ModuleBuilder.Code().i32Const(value(k)));

        ModuleBuilder.Code sumBody = new ModuleBuilder.Code();
        for (int funcidx : values) sumBody.call(funcidx).localGet(0).op(0x6A).localSet(0);
        sumBody.localGet(0);
        int sum = m.function(valueType, List.of(ValType.I32), sumBody);

        int byIndex = m.function(indexType, List.of(), new ModuleBuilder.Code().localGet(0).callIndirect(valueType));

        ModuleBuilder.Code start = new ModuleBuilder.Code();
        start.call(sum).i32Const(sum()).op(0x46);
        for (int k : new int[] {0, 12_345, VALUES - 1}) {
            start.i32Const(k).call(byIndex).i32Const(value(k)).op(0x46).op(0x71);
        }
        // A function reference taken in a code class is not null.
        start.u8(0xD2).u32(values[VALUES - 1]).u8(0xD1).op(0x45).op(0x71);
        start.block(0x04, ValType.I32).i32Const(EXIT_OK).u8(0x05).i32Const(1).end().call(procExit);
        int startFunction = m.function(startType, List.of(), start);

        m.table(values);
        m.exportFunction("sum", sum);
        m.exportFunction("byIndex", byIndex);
        m.exportFunction("_start", startFunction);
        int[] exported = exportAll ? java.util.stream.IntStream.range(0, VALUES).toArray() : new int[] {0, 12_345, VALUES - 1};
        for (int k : exported) m.exportFunction("value" + k, values[k]);
        return m.build();
    }
}
