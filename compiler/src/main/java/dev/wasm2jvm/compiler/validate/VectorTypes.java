package dev.wasm2jvm.compiler.validate;

import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.wasm2jvm.compiler.code.SimdOpcodes.*;
import static dev.wasm2jvm.compiler.module.ValType.F32;
import static dev.wasm2jvm.compiler.module.ValType.F64;
import static dev.wasm2jvm.compiler.module.ValType.I32;
import static dev.wasm2jvm.compiler.module.ValType.I64;
import static dev.wasm2jvm.compiler.module.ValType.V128;

/**
 * The types of the SIMD instructions without a {@code memarg}: those without immediates, and the
 * lane instructions with the number of lanes their lane index must stay below. (The SIMD loads and
 * stores without a lane are in {@link dev.wasm2jvm.compiler.code.MemoryAccesses}.)
 */
final class VectorTypes {
    private VectorTypes() {}

    /**
     * A lane instruction's shape.
     *
     * @param count the number of lanes, which bounds the lane index
     * @param type the instruction's type
     */
    record Lane(int count, FuncType type) {}

    private static final FuncType UNARY = type(List.of(V128), V128);
    private static final FuncType BINARY = type(List.of(V128, V128), V128);
    private static final FuncType TERNARY = type(List.of(V128, V128, V128), V128);
    private static final FuncType TEST = type(List.of(V128), I32);
    private static final FuncType SHIFT = type(List.of(V128, I32), V128);

    private static final Map<Integer, FuncType> TYPES = new HashMap<>();
    private static final Map<Integer, Lane> LANES = new HashMap<>();

    static {
        TYPES.put(I8X16_SPLAT, type(List.of(I32), V128));
        TYPES.put(I16X8_SPLAT, type(List.of(I32), V128));
        TYPES.put(I32X4_SPLAT, type(List.of(I32), V128));
        TYPES.put(I64X2_SPLAT, type(List.of(I64), V128));
        TYPES.put(F32X4_SPLAT, type(List.of(F32), V128));
        TYPES.put(F64X2_SPLAT, type(List.of(F64), V128));
        TYPES.put(V128_BITSELECT, TERNARY);
        all(UNARY, V128_NOT,
                I8X16_ABS, I8X16_NEG, I8X16_POPCNT,
                I16X8_ABS, I16X8_NEG, I32X4_ABS, I32X4_NEG, I64X2_ABS, I64X2_NEG,
                I16X8_EXTADD_PAIRWISE_I8X16_S, I16X8_EXTADD_PAIRWISE_I8X16_U,
                I32X4_EXTADD_PAIRWISE_I16X8_S, I32X4_EXTADD_PAIRWISE_I16X8_U,
                I16X8_EXTEND_LOW_I8X16_S, I16X8_EXTEND_HIGH_I8X16_S,
                I16X8_EXTEND_LOW_I8X16_U, I16X8_EXTEND_HIGH_I8X16_U,
                I32X4_EXTEND_LOW_I16X8_S, I32X4_EXTEND_HIGH_I16X8_S,
                I32X4_EXTEND_LOW_I16X8_U, I32X4_EXTEND_HIGH_I16X8_U,
                I64X2_EXTEND_LOW_I32X4_S, I64X2_EXTEND_HIGH_I32X4_S,
                I64X2_EXTEND_LOW_I32X4_U, I64X2_EXTEND_HIGH_I32X4_U,
                F32X4_ABS, F32X4_NEG, F32X4_SQRT, F32X4_CEIL, F32X4_FLOOR, F32X4_TRUNC, F32X4_NEAREST,
                F64X2_ABS, F64X2_NEG, F64X2_SQRT, F64X2_CEIL, F64X2_FLOOR, F64X2_TRUNC, F64X2_NEAREST,
                I32X4_TRUNC_SAT_F32X4_S, I32X4_TRUNC_SAT_F32X4_U,
                I32X4_TRUNC_SAT_F64X2_S_ZERO, I32X4_TRUNC_SAT_F64X2_U_ZERO,
                F32X4_CONVERT_I32X4_S, F32X4_CONVERT_I32X4_U,
                F64X2_CONVERT_LOW_I32X4_S, F64X2_CONVERT_LOW_I32X4_U,
                F32X4_DEMOTE_F64X2_ZERO, F64X2_PROMOTE_LOW_F32X4);
        all(TEST, V128_ANY_TRUE,
                I8X16_ALL_TRUE, I8X16_BITMASK, I16X8_ALL_TRUE, I16X8_BITMASK,
                I32X4_ALL_TRUE, I32X4_BITMASK, I64X2_ALL_TRUE, I64X2_BITMASK);
        all(SHIFT, I8X16_SHL, I8X16_SHR_S, I8X16_SHR_U, I16X8_SHL, I16X8_SHR_S, I16X8_SHR_U,
                I32X4_SHL, I32X4_SHR_S, I32X4_SHR_U, I64X2_SHL, I64X2_SHR_S, I64X2_SHR_U);
        // The comparisons from i8x16.eq to f64x2.ge are contiguous in the binary format.
        for (int opcode = I8X16_EQ; opcode <= F64X2_GE; opcode++) TYPES.put(opcode, BINARY);
        all(BINARY, I8X16_SWIZZLE, V128_AND, V128_ANDNOT, V128_OR, V128_XOR,
                I64X2_EQ, I64X2_NE, I64X2_LT_S, I64X2_GT_S, I64X2_LE_S, I64X2_GE_S,
                I8X16_NARROW_I16X8_S, I8X16_NARROW_I16X8_U, I16X8_NARROW_I32X4_S, I16X8_NARROW_I32X4_U,
                I8X16_ADD, I8X16_ADD_SAT_S, I8X16_ADD_SAT_U, I8X16_SUB, I8X16_SUB_SAT_S, I8X16_SUB_SAT_U,
                I8X16_MIN_S, I8X16_MIN_U, I8X16_MAX_S, I8X16_MAX_U, I8X16_AVGR_U,
                I16X8_ADD, I16X8_ADD_SAT_S, I16X8_ADD_SAT_U, I16X8_SUB, I16X8_SUB_SAT_S, I16X8_SUB_SAT_U,
                I16X8_MUL, I16X8_MIN_S, I16X8_MIN_U, I16X8_MAX_S, I16X8_MAX_U, I16X8_AVGR_U,
                I16X8_Q15MULR_SAT_S,
                I16X8_EXTMUL_LOW_I8X16_S, I16X8_EXTMUL_HIGH_I8X16_S,
                I16X8_EXTMUL_LOW_I8X16_U, I16X8_EXTMUL_HIGH_I8X16_U,
                I32X4_ADD, I32X4_SUB, I32X4_MUL, I32X4_MIN_S, I32X4_MIN_U, I32X4_MAX_S, I32X4_MAX_U,
                I32X4_DOT_I16X8_S,
                I32X4_EXTMUL_LOW_I16X8_S, I32X4_EXTMUL_HIGH_I16X8_S,
                I32X4_EXTMUL_LOW_I16X8_U, I32X4_EXTMUL_HIGH_I16X8_U,
                I64X2_ADD, I64X2_SUB, I64X2_MUL,
                I64X2_EXTMUL_LOW_I32X4_S, I64X2_EXTMUL_HIGH_I32X4_S,
                I64X2_EXTMUL_LOW_I32X4_U, I64X2_EXTMUL_HIGH_I32X4_U,
                F32X4_ADD, F32X4_SUB, F32X4_MUL, F32X4_DIV, F32X4_MIN, F32X4_MAX, F32X4_PMIN, F32X4_PMAX,
                F64X2_ADD, F64X2_SUB, F64X2_MUL, F64X2_DIV, F64X2_MIN, F64X2_MAX, F64X2_PMIN, F64X2_PMAX);

        lanes(16, I32, I8X16_EXTRACT_LANE_S, I8X16_EXTRACT_LANE_U, I8X16_REPLACE_LANE);
        lanes(8, I32, I16X8_EXTRACT_LANE_S, I16X8_EXTRACT_LANE_U, I16X8_REPLACE_LANE);
        lanes(4, I32, I32X4_EXTRACT_LANE, I32X4_REPLACE_LANE);
        lanes(2, I64, I64X2_EXTRACT_LANE, I64X2_REPLACE_LANE);
        lanes(4, F32, F32X4_EXTRACT_LANE, F32X4_REPLACE_LANE);
        lanes(2, F64, F64X2_EXTRACT_LANE, F64X2_REPLACE_LANE);

        FuncType loadLane = type(List.of(I32, V128), V128);
        FuncType storeLane = new FuncType(List.of(I32, V128), List.of());
        LANES.put(V128_LOAD8_LANE, new Lane(16, loadLane));
        LANES.put(V128_LOAD16_LANE, new Lane(8, loadLane));
        LANES.put(V128_LOAD32_LANE, new Lane(4, loadLane));
        LANES.put(V128_LOAD64_LANE, new Lane(2, loadLane));
        LANES.put(V128_STORE8_LANE, new Lane(16, storeLane));
        LANES.put(V128_STORE16_LANE, new Lane(8, storeLane));
        LANES.put(V128_STORE32_LANE, new Lane(4, storeLane));
        LANES.put(V128_STORE64_LANE, new Lane(2, storeLane));
    }

    /** The type of SIMD instruction {@code opcode} without immediates, or {@code null} if it is not one. */
    static FuncType of(int opcode) {
        return TYPES.get(opcode);
    }

    /**
     * The shape of lane instruction {@code opcode} ({@code extract_lane}, {@code replace_lane},
     * {@code load*_lane}, {@code store*_lane}), or {@code null} if it is not one. A memory lane
     * instruction accesses one lane, so its natural alignment is the lane width, 16 bytes / count.
     */
    static Lane lane(int opcode) {
        return LANES.get(opcode);
    }

    private static void all(FuncType type, int... opcodes) {
        for (int opcode : opcodes) TYPES.put(opcode, type);
    }

    /** An extract (the first opcodes) yields one lane; the replace (the last) takes and returns a vector. */
    private static void lanes(int count, ValType lane, int... opcodes) {
        for (int i = 0; i < opcodes.length - 1; i++) {
            LANES.put(opcodes[i], new Lane(count, type(List.of(V128), lane)));
        }
        LANES.put(opcodes[opcodes.length - 1], new Lane(count, type(List.of(V128, lane), V128)));
    }

    private static FuncType type(List<ValType> params, ValType result) {
        return new FuncType(params, List.of(result));
    }
}
