package dev.wasm2jvm.compiler.code;

import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.wasm2jvm.compiler.code.Opcodes.*;
import static dev.wasm2jvm.compiler.module.ValType.F32;
import static dev.wasm2jvm.compiler.module.ValType.F64;
import static dev.wasm2jvm.compiler.module.ValType.I32;
import static dev.wasm2jvm.compiler.module.ValType.I64;

/**
 * The types of the scalar numeric instructions (constants aside): unary, binary, test, comparison
 * and conversion operators, each a fixed {@code [t1*] -> [t2]}, for the validator and the code
 * generator alike. The opcode ranges follow the binary format, where every group is contiguous.
 */
public final class NumericTypes {
    private NumericTypes() {}

    private static final Map<Integer, FuncType> TYPES = new HashMap<>();

    static {
        op(I32_EQZ, I32, I32);
        range(I32_EQ, I32_GE_U, I32, I32, I32);
        op(I64_EQZ, I64, I32);
        range(I64_EQ, I64_GE_U, I64, I64, I32);
        range(F32_EQ, F32_GE, F32, F32, I32);
        range(F64_EQ, F64_GE, F64, F64, I32);
        range(I32_CLZ, I32_POPCNT, I32, I32);
        range(I32_ADD, I32_ROTR, I32, I32, I32);
        range(I64_CLZ, I64_POPCNT, I64, I64);
        range(I64_ADD, I64_ROTR, I64, I64, I64);
        range(F32_ABS, F32_SQRT, F32, F32);
        range(F32_ADD, F32_COPYSIGN, F32, F32, F32);
        range(F64_ABS, F64_SQRT, F64, F64);
        range(F64_ADD, F64_COPYSIGN, F64, F64, F64);
        op(I32_WRAP_I64, I64, I32);
        range(I32_TRUNC_F32_S, I32_TRUNC_F32_U, F32, I32);
        range(I32_TRUNC_F64_S, I32_TRUNC_F64_U, F64, I32);
        range(I64_EXTEND_I32_S, I64_EXTEND_I32_U, I32, I64);
        range(I64_TRUNC_F32_S, I64_TRUNC_F32_U, F32, I64);
        range(I64_TRUNC_F64_S, I64_TRUNC_F64_U, F64, I64);
        range(F32_CONVERT_I32_S, F32_CONVERT_I32_U, I32, F32);
        range(F32_CONVERT_I64_S, F32_CONVERT_I64_U, I64, F32);
        op(F32_DEMOTE_F64, F64, F32);
        range(F64_CONVERT_I32_S, F64_CONVERT_I32_U, I32, F64);
        range(F64_CONVERT_I64_S, F64_CONVERT_I64_U, I64, F64);
        op(F64_PROMOTE_F32, F32, F64);
        op(I32_REINTERPRET_F32, F32, I32);
        op(I64_REINTERPRET_F64, F64, I64);
        op(F32_REINTERPRET_I32, I32, F32);
        op(F64_REINTERPRET_I64, I64, F64);
        range(I32_EXTEND8_S, I32_EXTEND16_S, I32, I32);
        range(I64_EXTEND8_S, I64_EXTEND32_S, I64, I64);
        range(I32_TRUNC_SAT_F32_S, I32_TRUNC_SAT_F32_U, F32, I32);
        range(I32_TRUNC_SAT_F64_S, I32_TRUNC_SAT_F64_U, F64, I32);
        range(I64_TRUNC_SAT_F32_S, I64_TRUNC_SAT_F32_U, F32, I64);
        range(I64_TRUNC_SAT_F64_S, I64_TRUNC_SAT_F64_U, F64, I64);
    }

    /** The type of numeric instruction {@code opcode}, or {@code null} if it is not one. */
    public static FuncType of(int opcode) {
        return TYPES.get(opcode);
    }

    private static void op(int opcode, ValType operand, ValType result) {
        TYPES.put(opcode, new FuncType(List.of(operand), List.of(result)));
    }

    private static void range(int first, int last, ValType operand, ValType result) {
        FuncType type = new FuncType(List.of(operand), List.of(result));
        for (int opcode = first; opcode <= last; opcode++) TYPES.put(opcode, type);
    }

    private static void range(int first, int last, ValType lhs, ValType rhs, ValType result) {
        FuncType type = new FuncType(List.of(lhs, rhs), List.of(result));
        for (int opcode = first; opcode <= last; opcode++) TYPES.put(opcode, type);
    }
}
