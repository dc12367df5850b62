package dev.wasm2jvm.compiler.code;

import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.wasm2jvm.compiler.code.Opcodes.*;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.*;
import static dev.wasm2jvm.compiler.module.ValType.F32;
import static dev.wasm2jvm.compiler.module.ValType.F64;
import static dev.wasm2jvm.compiler.module.ValType.I32;
import static dev.wasm2jvm.compiler.module.ValType.I64;
import static dev.wasm2jvm.compiler.module.ValType.V128;

/**
 * The instructions with a {@code memarg}: their type and natural alignment (the log2 of the access
 * width in bytes), which bounds the encoded alignment, or for atomic accesses must equal it; for the
 * validator and the code generator alike.
 */
public final class MemoryAccesses {
    private MemoryAccesses() {}

    public record Access(FuncType type, int naturalAlign, boolean atomic) {}

    private static final Map<Integer, Access> ACCESSES = new HashMap<>();

    /** Value types and widths of the seven atomic accesses in each group, in opcode order. */
    private static final ValType[] ATOMIC_TYPES = {I32, I64, I32, I32, I64, I64, I64};
    private static final int[] ATOMIC_ALIGNS = {2, 3, 0, 1, 0, 1, 2};

    static {
        load(I32_LOAD, I32, 2);
        load(I64_LOAD, I64, 3);
        load(F32_LOAD, F32, 2);
        load(F64_LOAD, F64, 3);
        load(I32_LOAD8_S, I32, 0);
        load(I32_LOAD8_U, I32, 0);
        load(I32_LOAD16_S, I32, 1);
        load(I32_LOAD16_U, I32, 1);
        load(I64_LOAD8_S, I64, 0);
        load(I64_LOAD8_U, I64, 0);
        load(I64_LOAD16_S, I64, 1);
        load(I64_LOAD16_U, I64, 1);
        load(I64_LOAD32_S, I64, 2);
        load(I64_LOAD32_U, I64, 2);
        store(I32_STORE, I32, 2);
        store(I64_STORE, I64, 3);
        store(F32_STORE, F32, 2);
        store(F64_STORE, F64, 3);
        store(I32_STORE8, I32, 0);
        store(I32_STORE16, I32, 1);
        store(I64_STORE8, I64, 0);
        store(I64_STORE16, I64, 1);
        store(I64_STORE32, I64, 2);
        load(V128_LOAD, V128, 4);
        load(V128_LOAD8X8_S, V128, 3);
        load(V128_LOAD8X8_U, V128, 3);
        load(V128_LOAD16X4_S, V128, 3);
        load(V128_LOAD16X4_U, V128, 3);
        load(V128_LOAD32X2_S, V128, 3);
        load(V128_LOAD32X2_U, V128, 3);
        load(V128_LOAD8_SPLAT, V128, 0);
        load(V128_LOAD16_SPLAT, V128, 1);
        load(V128_LOAD32_SPLAT, V128, 2);
        load(V128_LOAD64_SPLAT, V128, 3);
        load(V128_LOAD32_ZERO, V128, 2);
        load(V128_LOAD64_ZERO, V128, 3);
        store(V128_STORE, V128, 4);

        atomic(MEMORY_ATOMIC_NOTIFY, type(List.of(I32, I32), I32), 2);
        atomic(MEMORY_ATOMIC_WAIT32, type(List.of(I32, I32, I64), I32), 2);
        atomic(MEMORY_ATOMIC_WAIT64, type(List.of(I32, I64, I64), I32), 3);
        for (int i = 0; i < ATOMIC_TYPES.length; i++) {
            ValType t = ATOMIC_TYPES[i];
            int align = ATOMIC_ALIGNS[i];
            atomic(I32_ATOMIC_LOAD + i, type(List.of(I32), t), align);
            atomic(I32_ATOMIC_STORE + i, new FuncType(List.of(I32, t), List.of()), align);
            for (int rmw = I32_ATOMIC_RMW_ADD; rmw <= I32_ATOMIC_RMW_XCHG; rmw += ATOMIC_TYPES.length) {
                atomic(rmw + i, type(List.of(I32, t), t), align);
            }
            atomic(I32_ATOMIC_RMW_CMPXCHG + i, type(List.of(I32, t, t), t), align);
        }
    }

    /** The access that {@code opcode} performs, or {@code null} if it has no {@code memarg}. */
    public static Access of(int opcode) {
        return ACCESSES.get(opcode);
    }

    private static void load(int opcode, ValType result, int naturalAlign) {
        ACCESSES.put(opcode, new Access(type(List.of(I32), result), naturalAlign, false));
    }

    private static void store(int opcode, ValType operand, int naturalAlign) {
        ACCESSES.put(opcode, new Access(new FuncType(List.of(I32, operand), List.of()), naturalAlign, false));
    }

    private static void atomic(int opcode, FuncType type, int naturalAlign) {
        ACCESSES.put(opcode, new Access(type, naturalAlign, true));
    }

    private static FuncType type(List<ValType> params, ValType result) {
        return new FuncType(params, List.of(result));
    }
}
