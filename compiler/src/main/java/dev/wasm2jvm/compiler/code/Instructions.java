package dev.wasm2jvm.compiler.code;

import dev.wasm2jvm.compiler.code.Instruction.AtomicOp;
import dev.wasm2jvm.compiler.code.Instruction.Immediates;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.wasm2jvm.compiler.code.Instruction.AtomicOp.*;
import static dev.wasm2jvm.compiler.code.Instruction.Immediates.*;
import static dev.wasm2jvm.compiler.code.Opcodes.*;
import static dev.wasm2jvm.compiler.code.SimdOpcodes.*;

/**
 * The instruction table: one row per WebAssembly instruction, with its spec name, its opcode (the
 * constant of {@link Opcodes} or {@link SimdOpcodes}, the only place an opcode's value is written),
 * its immediates, its stack type, and for memory and atomic instructions its natural alignment and
 * atomic operation. The decoder, the validator and the code generator all read it, so a new
 * instruction is a constant and a row.
 *
 * <p>Row kinds: {@code control} (typed from context by the validator), {@code row} (immediates and
 * stack type), {@code plain} (no immediates), {@code memarg} (a load or store and its natural
 * alignment), {@code atomic} (the same, and its operation), {@code lane} and {@code memoryLane}
 * (their number of lanes). Stack types are written as in the spec: {@code "i32 i32 -> i32"}.
 */
public final class Instructions {
    private Instructions() {}

    /** The rows by opcode: one-byte opcodes, then a block of 4096 subopcodes per prefix, for a lookup per decoded instruction. */
    private static final Instruction[] ONE_BYTE = new Instruction[0x100];
    private static final Instruction[][] PREFIXED = new Instruction[PREFIX_ATOMIC - PREFIX_MISC + 1][0x1000];
    private static final List<Instruction> ALL = new ArrayList<>();

    static {
        // Control and parametric instructions, typed by the validator from context.
        control(UNREACHABLE, "unreachable", NONE);
        plain(NOP, "nop", "->");
        control(BLOCK, "block", BLOCK_TYPE);
        control(LOOP, "loop", BLOCK_TYPE);
        control(IF, "if", BLOCK_TYPE);
        control(ELSE, "else", NONE);
        control(END, "end", NONE);
        control(BR, "br", LABEL);
        control(BR_IF, "br_if", LABEL);
        control(BR_TABLE, "br_table", LABEL_TABLE);
        control(RETURN, "return", NONE);
        control(CALL, "call", FUNCTION);
        control(CALL_INDIRECT, "call_indirect", TYPE_AND_TABLE);
        control(RETURN_CALL, "return_call", FUNCTION);
        control(RETURN_CALL_INDIRECT, "return_call_indirect", TYPE_AND_TABLE);
        control(DROP, "drop", NONE);
        control(SELECT, "select", NONE);
        control(SELECT_T, "select_t", VALUE_TYPES);

        // Exception handling, and the legacy proposal's try, catch, catch_all, delegate and rethrow.
        control(Opcodes.TRY_TABLE, "try_table", Immediates.TRY_TABLE);
        control(THROW, "throw", TAG);
        control(THROW_REF, "throw_ref", NONE);
        control(TRY, "try", BLOCK_TYPE);
        control(CATCH, "catch", TAG);
        control(CATCH_ALL, "catch_all", NONE);
        control(DELEGATE, "delegate", LABEL);
        control(RETHROW, "rethrow", LABEL);

        // Variables and tables: t is the type of what the index names.
        row(LOCAL_GET, "local.get", LOCAL, "-> t");
        row(LOCAL_SET, "local.set", LOCAL, "t ->");
        row(LOCAL_TEE, "local.tee", LOCAL, "t -> t");
        row(GLOBAL_GET, "global.get", GLOBAL, "-> t");
        row(GLOBAL_SET, "global.set", GLOBAL, "t ->");
        row(TABLE_GET, "table.get", TABLE, "i32 -> t");
        row(TABLE_SET, "table.set", TABLE, "i32 t ->");

        // Loads and stores.
        memarg(I32_LOAD, "i32.load", "i32 -> i32", 2);
        memarg(I64_LOAD, "i64.load", "i32 -> i64", 3);
        memarg(F32_LOAD, "f32.load", "i32 -> f32", 2);
        memarg(F64_LOAD, "f64.load", "i32 -> f64", 3);
        memarg(I32_LOAD8_S, "i32.load8_s", "i32 -> i32", 0);
        memarg(I32_LOAD8_U, "i32.load8_u", "i32 -> i32", 0);
        memarg(I32_LOAD16_S, "i32.load16_s", "i32 -> i32", 1);
        memarg(I32_LOAD16_U, "i32.load16_u", "i32 -> i32", 1);
        memarg(I64_LOAD8_S, "i64.load8_s", "i32 -> i64", 0);
        memarg(I64_LOAD8_U, "i64.load8_u", "i32 -> i64", 0);
        memarg(I64_LOAD16_S, "i64.load16_s", "i32 -> i64", 1);
        memarg(I64_LOAD16_U, "i64.load16_u", "i32 -> i64", 1);
        memarg(I64_LOAD32_S, "i64.load32_s", "i32 -> i64", 2);
        memarg(I64_LOAD32_U, "i64.load32_u", "i32 -> i64", 2);
        memarg(I32_STORE, "i32.store", "i32 i32 ->", 2);
        memarg(I64_STORE, "i64.store", "i32 i64 ->", 3);
        memarg(F32_STORE, "f32.store", "i32 f32 ->", 2);
        memarg(F64_STORE, "f64.store", "i32 f64 ->", 3);
        memarg(I32_STORE8, "i32.store8", "i32 i32 ->", 0);
        memarg(I32_STORE16, "i32.store16", "i32 i32 ->", 1);
        memarg(I64_STORE8, "i64.store8", "i32 i64 ->", 0);
        memarg(I64_STORE16, "i64.store16", "i32 i64 ->", 1);
        memarg(I64_STORE32, "i64.store32", "i32 i64 ->", 2);

        // Memory instructions.
        row(MEMORY_SIZE, "memory.size", MEMORY, "-> i32");
        row(MEMORY_GROW, "memory.grow", MEMORY, "i32 -> i32");

        // Numeric instructions.
        row(I32_CONST, "i32.const", Immediates.I32, "-> i32");
        row(I64_CONST, "i64.const", Immediates.I64, "-> i64");
        row(F32_CONST, "f32.const", Immediates.F32, "-> f32");
        row(F64_CONST, "f64.const", Immediates.F64, "-> f64");
        plain(I32_EQZ, "i32.eqz", "i32 -> i32");
        plain(I32_EQ, "i32.eq", "i32 i32 -> i32");
        plain(I32_NE, "i32.ne", "i32 i32 -> i32");
        plain(I32_LT_S, "i32.lt_s", "i32 i32 -> i32");
        plain(I32_LT_U, "i32.lt_u", "i32 i32 -> i32");
        plain(I32_GT_S, "i32.gt_s", "i32 i32 -> i32");
        plain(I32_GT_U, "i32.gt_u", "i32 i32 -> i32");
        plain(I32_LE_S, "i32.le_s", "i32 i32 -> i32");
        plain(I32_LE_U, "i32.le_u", "i32 i32 -> i32");
        plain(I32_GE_S, "i32.ge_s", "i32 i32 -> i32");
        plain(I32_GE_U, "i32.ge_u", "i32 i32 -> i32");
        plain(I64_EQZ, "i64.eqz", "i64 -> i32");
        plain(I64_EQ, "i64.eq", "i64 i64 -> i32");
        plain(I64_NE, "i64.ne", "i64 i64 -> i32");
        plain(I64_LT_S, "i64.lt_s", "i64 i64 -> i32");
        plain(I64_LT_U, "i64.lt_u", "i64 i64 -> i32");
        plain(I64_GT_S, "i64.gt_s", "i64 i64 -> i32");
        plain(I64_GT_U, "i64.gt_u", "i64 i64 -> i32");
        plain(I64_LE_S, "i64.le_s", "i64 i64 -> i32");
        plain(I64_LE_U, "i64.le_u", "i64 i64 -> i32");
        plain(I64_GE_S, "i64.ge_s", "i64 i64 -> i32");
        plain(I64_GE_U, "i64.ge_u", "i64 i64 -> i32");
        plain(F32_EQ, "f32.eq", "f32 f32 -> i32");
        plain(F32_NE, "f32.ne", "f32 f32 -> i32");
        plain(F32_LT, "f32.lt", "f32 f32 -> i32");
        plain(F32_GT, "f32.gt", "f32 f32 -> i32");
        plain(F32_LE, "f32.le", "f32 f32 -> i32");
        plain(F32_GE, "f32.ge", "f32 f32 -> i32");
        plain(F64_EQ, "f64.eq", "f64 f64 -> i32");
        plain(F64_NE, "f64.ne", "f64 f64 -> i32");
        plain(F64_LT, "f64.lt", "f64 f64 -> i32");
        plain(F64_GT, "f64.gt", "f64 f64 -> i32");
        plain(F64_LE, "f64.le", "f64 f64 -> i32");
        plain(F64_GE, "f64.ge", "f64 f64 -> i32");
        plain(I32_CLZ, "i32.clz", "i32 -> i32");
        plain(I32_CTZ, "i32.ctz", "i32 -> i32");
        plain(I32_POPCNT, "i32.popcnt", "i32 -> i32");
        plain(I32_ADD, "i32.add", "i32 i32 -> i32");
        plain(I32_SUB, "i32.sub", "i32 i32 -> i32");
        plain(I32_MUL, "i32.mul", "i32 i32 -> i32");
        plain(I32_DIV_S, "i32.div_s", "i32 i32 -> i32");
        plain(I32_DIV_U, "i32.div_u", "i32 i32 -> i32");
        plain(I32_REM_S, "i32.rem_s", "i32 i32 -> i32");
        plain(I32_REM_U, "i32.rem_u", "i32 i32 -> i32");
        plain(I32_AND, "i32.and", "i32 i32 -> i32");
        plain(I32_OR, "i32.or", "i32 i32 -> i32");
        plain(I32_XOR, "i32.xor", "i32 i32 -> i32");
        plain(I32_SHL, "i32.shl", "i32 i32 -> i32");
        plain(I32_SHR_S, "i32.shr_s", "i32 i32 -> i32");
        plain(I32_SHR_U, "i32.shr_u", "i32 i32 -> i32");
        plain(I32_ROTL, "i32.rotl", "i32 i32 -> i32");
        plain(I32_ROTR, "i32.rotr", "i32 i32 -> i32");
        plain(I64_CLZ, "i64.clz", "i64 -> i64");
        plain(I64_CTZ, "i64.ctz", "i64 -> i64");
        plain(I64_POPCNT, "i64.popcnt", "i64 -> i64");
        plain(I64_ADD, "i64.add", "i64 i64 -> i64");
        plain(I64_SUB, "i64.sub", "i64 i64 -> i64");
        plain(I64_MUL, "i64.mul", "i64 i64 -> i64");
        plain(I64_DIV_S, "i64.div_s", "i64 i64 -> i64");
        plain(I64_DIV_U, "i64.div_u", "i64 i64 -> i64");
        plain(I64_REM_S, "i64.rem_s", "i64 i64 -> i64");
        plain(I64_REM_U, "i64.rem_u", "i64 i64 -> i64");
        plain(I64_AND, "i64.and", "i64 i64 -> i64");
        plain(I64_OR, "i64.or", "i64 i64 -> i64");
        plain(I64_XOR, "i64.xor", "i64 i64 -> i64");
        plain(I64_SHL, "i64.shl", "i64 i64 -> i64");
        plain(I64_SHR_S, "i64.shr_s", "i64 i64 -> i64");
        plain(I64_SHR_U, "i64.shr_u", "i64 i64 -> i64");
        plain(I64_ROTL, "i64.rotl", "i64 i64 -> i64");
        plain(I64_ROTR, "i64.rotr", "i64 i64 -> i64");
        plain(F32_ABS, "f32.abs", "f32 -> f32");
        plain(F32_NEG, "f32.neg", "f32 -> f32");
        plain(F32_CEIL, "f32.ceil", "f32 -> f32");
        plain(F32_FLOOR, "f32.floor", "f32 -> f32");
        plain(F32_TRUNC, "f32.trunc", "f32 -> f32");
        plain(F32_NEAREST, "f32.nearest", "f32 -> f32");
        plain(F32_SQRT, "f32.sqrt", "f32 -> f32");
        plain(F32_ADD, "f32.add", "f32 f32 -> f32");
        plain(F32_SUB, "f32.sub", "f32 f32 -> f32");
        plain(F32_MUL, "f32.mul", "f32 f32 -> f32");
        plain(F32_DIV, "f32.div", "f32 f32 -> f32");
        plain(F32_MIN, "f32.min", "f32 f32 -> f32");
        plain(F32_MAX, "f32.max", "f32 f32 -> f32");
        plain(F32_COPYSIGN, "f32.copysign", "f32 f32 -> f32");
        plain(F64_ABS, "f64.abs", "f64 -> f64");
        plain(F64_NEG, "f64.neg", "f64 -> f64");
        plain(F64_CEIL, "f64.ceil", "f64 -> f64");
        plain(F64_FLOOR, "f64.floor", "f64 -> f64");
        plain(F64_TRUNC, "f64.trunc", "f64 -> f64");
        plain(F64_NEAREST, "f64.nearest", "f64 -> f64");
        plain(F64_SQRT, "f64.sqrt", "f64 -> f64");
        plain(F64_ADD, "f64.add", "f64 f64 -> f64");
        plain(F64_SUB, "f64.sub", "f64 f64 -> f64");
        plain(F64_MUL, "f64.mul", "f64 f64 -> f64");
        plain(F64_DIV, "f64.div", "f64 f64 -> f64");
        plain(F64_MIN, "f64.min", "f64 f64 -> f64");
        plain(F64_MAX, "f64.max", "f64 f64 -> f64");
        plain(F64_COPYSIGN, "f64.copysign", "f64 f64 -> f64");
        plain(I32_WRAP_I64, "i32.wrap_i64", "i64 -> i32");
        plain(I32_TRUNC_F32_S, "i32.trunc_f32_s", "f32 -> i32");
        plain(I32_TRUNC_F32_U, "i32.trunc_f32_u", "f32 -> i32");
        plain(I32_TRUNC_F64_S, "i32.trunc_f64_s", "f64 -> i32");
        plain(I32_TRUNC_F64_U, "i32.trunc_f64_u", "f64 -> i32");
        plain(I64_EXTEND_I32_S, "i64.extend_i32_s", "i32 -> i64");
        plain(I64_EXTEND_I32_U, "i64.extend_i32_u", "i32 -> i64");
        plain(I64_TRUNC_F32_S, "i64.trunc_f32_s", "f32 -> i64");
        plain(I64_TRUNC_F32_U, "i64.trunc_f32_u", "f32 -> i64");
        plain(I64_TRUNC_F64_S, "i64.trunc_f64_s", "f64 -> i64");
        plain(I64_TRUNC_F64_U, "i64.trunc_f64_u", "f64 -> i64");
        plain(F32_CONVERT_I32_S, "f32.convert_i32_s", "i32 -> f32");
        plain(F32_CONVERT_I32_U, "f32.convert_i32_u", "i32 -> f32");
        plain(F32_CONVERT_I64_S, "f32.convert_i64_s", "i64 -> f32");
        plain(F32_CONVERT_I64_U, "f32.convert_i64_u", "i64 -> f32");
        plain(F32_DEMOTE_F64, "f32.demote_f64", "f64 -> f32");
        plain(F64_CONVERT_I32_S, "f64.convert_i32_s", "i32 -> f64");
        plain(F64_CONVERT_I32_U, "f64.convert_i32_u", "i32 -> f64");
        plain(F64_CONVERT_I64_S, "f64.convert_i64_s", "i64 -> f64");
        plain(F64_CONVERT_I64_U, "f64.convert_i64_u", "i64 -> f64");
        plain(F64_PROMOTE_F32, "f64.promote_f32", "f32 -> f64");
        plain(I32_REINTERPRET_F32, "i32.reinterpret_f32", "f32 -> i32");
        plain(I64_REINTERPRET_F64, "i64.reinterpret_f64", "f64 -> i64");
        plain(F32_REINTERPRET_I32, "f32.reinterpret_i32", "i32 -> f32");
        plain(F64_REINTERPRET_I64, "f64.reinterpret_i64", "i64 -> f64");
        plain(I32_EXTEND8_S, "i32.extend8_s", "i32 -> i32");
        plain(I32_EXTEND16_S, "i32.extend16_s", "i32 -> i32");
        plain(I64_EXTEND8_S, "i64.extend8_s", "i64 -> i64");
        plain(I64_EXTEND16_S, "i64.extend16_s", "i64 -> i64");
        plain(I64_EXTEND32_S, "i64.extend32_s", "i64 -> i64");

        // Reference instructions: t is a reference type.
        row(REF_NULL, "ref.null", REF_TYPE, "-> t");
        row(REF_IS_NULL, "ref.is_null", NONE, "t -> i32");
        row(REF_FUNC, "ref.func", FUNCTION, "-> funcref");

        // Non-trapping float-to-int conversions (prefix 0xFC).
        plain(I32_TRUNC_SAT_F32_S, "i32.trunc_sat_f32_s", "f32 -> i32");
        plain(I32_TRUNC_SAT_F32_U, "i32.trunc_sat_f32_u", "f32 -> i32");
        plain(I32_TRUNC_SAT_F64_S, "i32.trunc_sat_f64_s", "f64 -> i32");
        plain(I32_TRUNC_SAT_F64_U, "i32.trunc_sat_f64_u", "f64 -> i32");
        plain(I64_TRUNC_SAT_F32_S, "i64.trunc_sat_f32_s", "f32 -> i64");
        plain(I64_TRUNC_SAT_F32_U, "i64.trunc_sat_f32_u", "f32 -> i64");
        plain(I64_TRUNC_SAT_F64_S, "i64.trunc_sat_f64_s", "f64 -> i64");
        plain(I64_TRUNC_SAT_F64_U, "i64.trunc_sat_f64_u", "f64 -> i64");

        // Bulk memory and table instructions (prefix 0xFC).
        row(MEMORY_INIT, "memory.init", DATA_AND_MEMORY, "i32 i32 i32 ->");
        row(DATA_DROP, "data.drop", DATA, "->");
        row(MEMORY_COPY, "memory.copy", MEMORY_PAIR, "i32 i32 i32 ->");
        row(MEMORY_FILL, "memory.fill", MEMORY, "i32 i32 i32 ->");
        row(TABLE_INIT, "table.init", ELEMENT_AND_TABLE, "i32 i32 i32 ->");
        row(ELEM_DROP, "elem.drop", ELEMENT, "->");
        row(TABLE_COPY, "table.copy", TABLE_PAIR, "i32 i32 i32 ->");
        row(TABLE_GROW, "table.grow", TABLE, "t i32 -> i32");
        row(TABLE_SIZE, "table.size", TABLE, "-> i32");
        row(TABLE_FILL, "table.fill", TABLE, "i32 t i32 ->");

        // SIMD (prefix 0xFD).
        memarg(V128_LOAD, "v128.load", "i32 -> v128", 4);
        memarg(V128_LOAD8X8_S, "v128.load8x8_s", "i32 -> v128", 3);
        memarg(V128_LOAD8X8_U, "v128.load8x8_u", "i32 -> v128", 3);
        memarg(V128_LOAD16X4_S, "v128.load16x4_s", "i32 -> v128", 3);
        memarg(V128_LOAD16X4_U, "v128.load16x4_u", "i32 -> v128", 3);
        memarg(V128_LOAD32X2_S, "v128.load32x2_s", "i32 -> v128", 3);
        memarg(V128_LOAD32X2_U, "v128.load32x2_u", "i32 -> v128", 3);
        memarg(V128_LOAD8_SPLAT, "v128.load8_splat", "i32 -> v128", 0);
        memarg(V128_LOAD16_SPLAT, "v128.load16_splat", "i32 -> v128", 1);
        memarg(V128_LOAD32_SPLAT, "v128.load32_splat", "i32 -> v128", 2);
        memarg(V128_LOAD64_SPLAT, "v128.load64_splat", "i32 -> v128", 3);
        memarg(V128_STORE, "v128.store", "i32 v128 ->", 4);
        row(V128_CONST, "v128.const", Immediates.V128, "-> v128");
        row(I8X16_SHUFFLE, "i8x16.shuffle", LANES_16, "v128 v128 -> v128");
        plain(I8X16_SWIZZLE, "i8x16.swizzle", "v128 v128 -> v128");
        plain(I8X16_SPLAT, "i8x16.splat", "i32 -> v128");
        plain(I16X8_SPLAT, "i16x8.splat", "i32 -> v128");
        plain(I32X4_SPLAT, "i32x4.splat", "i32 -> v128");
        plain(I64X2_SPLAT, "i64x2.splat", "i64 -> v128");
        plain(F32X4_SPLAT, "f32x4.splat", "f32 -> v128");
        plain(F64X2_SPLAT, "f64x2.splat", "f64 -> v128");
        lane(I8X16_EXTRACT_LANE_S, "i8x16.extract_lane_s", "v128 -> i32", 16);
        lane(I8X16_EXTRACT_LANE_U, "i8x16.extract_lane_u", "v128 -> i32", 16);
        lane(I8X16_REPLACE_LANE, "i8x16.replace_lane", "v128 i32 -> v128", 16);
        lane(I16X8_EXTRACT_LANE_S, "i16x8.extract_lane_s", "v128 -> i32", 8);
        lane(I16X8_EXTRACT_LANE_U, "i16x8.extract_lane_u", "v128 -> i32", 8);
        lane(I16X8_REPLACE_LANE, "i16x8.replace_lane", "v128 i32 -> v128", 8);
        lane(I32X4_EXTRACT_LANE, "i32x4.extract_lane", "v128 -> i32", 4);
        lane(I32X4_REPLACE_LANE, "i32x4.replace_lane", "v128 i32 -> v128", 4);
        lane(I64X2_EXTRACT_LANE, "i64x2.extract_lane", "v128 -> i64", 2);
        lane(I64X2_REPLACE_LANE, "i64x2.replace_lane", "v128 i64 -> v128", 2);
        lane(F32X4_EXTRACT_LANE, "f32x4.extract_lane", "v128 -> f32", 4);
        lane(F32X4_REPLACE_LANE, "f32x4.replace_lane", "v128 f32 -> v128", 4);
        lane(F64X2_EXTRACT_LANE, "f64x2.extract_lane", "v128 -> f64", 2);
        lane(F64X2_REPLACE_LANE, "f64x2.replace_lane", "v128 f64 -> v128", 2);
        plain(I8X16_EQ, "i8x16.eq", "v128 v128 -> v128");
        plain(I8X16_NE, "i8x16.ne", "v128 v128 -> v128");
        plain(I8X16_LT_S, "i8x16.lt_s", "v128 v128 -> v128");
        plain(I8X16_LT_U, "i8x16.lt_u", "v128 v128 -> v128");
        plain(I8X16_GT_S, "i8x16.gt_s", "v128 v128 -> v128");
        plain(I8X16_GT_U, "i8x16.gt_u", "v128 v128 -> v128");
        plain(I8X16_LE_S, "i8x16.le_s", "v128 v128 -> v128");
        plain(I8X16_LE_U, "i8x16.le_u", "v128 v128 -> v128");
        plain(I8X16_GE_S, "i8x16.ge_s", "v128 v128 -> v128");
        plain(I8X16_GE_U, "i8x16.ge_u", "v128 v128 -> v128");
        plain(I16X8_EQ, "i16x8.eq", "v128 v128 -> v128");
        plain(I16X8_NE, "i16x8.ne", "v128 v128 -> v128");
        plain(I16X8_LT_S, "i16x8.lt_s", "v128 v128 -> v128");
        plain(I16X8_LT_U, "i16x8.lt_u", "v128 v128 -> v128");
        plain(I16X8_GT_S, "i16x8.gt_s", "v128 v128 -> v128");
        plain(I16X8_GT_U, "i16x8.gt_u", "v128 v128 -> v128");
        plain(I16X8_LE_S, "i16x8.le_s", "v128 v128 -> v128");
        plain(I16X8_LE_U, "i16x8.le_u", "v128 v128 -> v128");
        plain(I16X8_GE_S, "i16x8.ge_s", "v128 v128 -> v128");
        plain(I16X8_GE_U, "i16x8.ge_u", "v128 v128 -> v128");
        plain(I32X4_EQ, "i32x4.eq", "v128 v128 -> v128");
        plain(I32X4_NE, "i32x4.ne", "v128 v128 -> v128");
        plain(I32X4_LT_S, "i32x4.lt_s", "v128 v128 -> v128");
        plain(I32X4_LT_U, "i32x4.lt_u", "v128 v128 -> v128");
        plain(I32X4_GT_S, "i32x4.gt_s", "v128 v128 -> v128");
        plain(I32X4_GT_U, "i32x4.gt_u", "v128 v128 -> v128");
        plain(I32X4_LE_S, "i32x4.le_s", "v128 v128 -> v128");
        plain(I32X4_LE_U, "i32x4.le_u", "v128 v128 -> v128");
        plain(I32X4_GE_S, "i32x4.ge_s", "v128 v128 -> v128");
        plain(I32X4_GE_U, "i32x4.ge_u", "v128 v128 -> v128");
        plain(F32X4_EQ, "f32x4.eq", "v128 v128 -> v128");
        plain(F32X4_NE, "f32x4.ne", "v128 v128 -> v128");
        plain(F32X4_LT, "f32x4.lt", "v128 v128 -> v128");
        plain(F32X4_GT, "f32x4.gt", "v128 v128 -> v128");
        plain(F32X4_LE, "f32x4.le", "v128 v128 -> v128");
        plain(F32X4_GE, "f32x4.ge", "v128 v128 -> v128");
        plain(F64X2_EQ, "f64x2.eq", "v128 v128 -> v128");
        plain(F64X2_NE, "f64x2.ne", "v128 v128 -> v128");
        plain(F64X2_LT, "f64x2.lt", "v128 v128 -> v128");
        plain(F64X2_GT, "f64x2.gt", "v128 v128 -> v128");
        plain(F64X2_LE, "f64x2.le", "v128 v128 -> v128");
        plain(F64X2_GE, "f64x2.ge", "v128 v128 -> v128");
        plain(V128_NOT, "v128.not", "v128 -> v128");
        plain(V128_AND, "v128.and", "v128 v128 -> v128");
        plain(V128_ANDNOT, "v128.andnot", "v128 v128 -> v128");
        plain(V128_OR, "v128.or", "v128 v128 -> v128");
        plain(V128_XOR, "v128.xor", "v128 v128 -> v128");
        plain(V128_BITSELECT, "v128.bitselect", "v128 v128 v128 -> v128");
        plain(V128_ANY_TRUE, "v128.any_true", "v128 -> i32");
        memoryLane(V128_LOAD8_LANE, "v128.load8_lane", "i32 v128 -> v128", 16);
        memoryLane(V128_LOAD16_LANE, "v128.load16_lane", "i32 v128 -> v128", 8);
        memoryLane(V128_LOAD32_LANE, "v128.load32_lane", "i32 v128 -> v128", 4);
        memoryLane(V128_LOAD64_LANE, "v128.load64_lane", "i32 v128 -> v128", 2);
        memoryLane(V128_STORE8_LANE, "v128.store8_lane", "i32 v128 ->", 16);
        memoryLane(V128_STORE16_LANE, "v128.store16_lane", "i32 v128 ->", 8);
        memoryLane(V128_STORE32_LANE, "v128.store32_lane", "i32 v128 ->", 4);
        memoryLane(V128_STORE64_LANE, "v128.store64_lane", "i32 v128 ->", 2);
        memarg(V128_LOAD32_ZERO, "v128.load32_zero", "i32 -> v128", 2);
        memarg(V128_LOAD64_ZERO, "v128.load64_zero", "i32 -> v128", 3);
        plain(F32X4_DEMOTE_F64X2_ZERO, "f32x4.demote_f64x2_zero", "v128 -> v128");
        plain(F64X2_PROMOTE_LOW_F32X4, "f64x2.promote_low_f32x4", "v128 -> v128");
        plain(I8X16_ABS, "i8x16.abs", "v128 -> v128");
        plain(I8X16_NEG, "i8x16.neg", "v128 -> v128");
        plain(I8X16_POPCNT, "i8x16.popcnt", "v128 -> v128");
        plain(I8X16_ALL_TRUE, "i8x16.all_true", "v128 -> i32");
        plain(I8X16_BITMASK, "i8x16.bitmask", "v128 -> i32");
        plain(I8X16_NARROW_I16X8_S, "i8x16.narrow_i16x8_s", "v128 v128 -> v128");
        plain(I8X16_NARROW_I16X8_U, "i8x16.narrow_i16x8_u", "v128 v128 -> v128");
        plain(F32X4_CEIL, "f32x4.ceil", "v128 -> v128");
        plain(F32X4_FLOOR, "f32x4.floor", "v128 -> v128");
        plain(F32X4_TRUNC, "f32x4.trunc", "v128 -> v128");
        plain(F32X4_NEAREST, "f32x4.nearest", "v128 -> v128");
        plain(I8X16_SHL, "i8x16.shl", "v128 i32 -> v128");
        plain(I8X16_SHR_S, "i8x16.shr_s", "v128 i32 -> v128");
        plain(I8X16_SHR_U, "i8x16.shr_u", "v128 i32 -> v128");
        plain(I8X16_ADD, "i8x16.add", "v128 v128 -> v128");
        plain(I8X16_ADD_SAT_S, "i8x16.add_sat_s", "v128 v128 -> v128");
        plain(I8X16_ADD_SAT_U, "i8x16.add_sat_u", "v128 v128 -> v128");
        plain(I8X16_SUB, "i8x16.sub", "v128 v128 -> v128");
        plain(I8X16_SUB_SAT_S, "i8x16.sub_sat_s", "v128 v128 -> v128");
        plain(I8X16_SUB_SAT_U, "i8x16.sub_sat_u", "v128 v128 -> v128");
        plain(F64X2_CEIL, "f64x2.ceil", "v128 -> v128");
        plain(F64X2_FLOOR, "f64x2.floor", "v128 -> v128");
        plain(I8X16_MIN_S, "i8x16.min_s", "v128 v128 -> v128");
        plain(I8X16_MIN_U, "i8x16.min_u", "v128 v128 -> v128");
        plain(I8X16_MAX_S, "i8x16.max_s", "v128 v128 -> v128");
        plain(I8X16_MAX_U, "i8x16.max_u", "v128 v128 -> v128");
        plain(F64X2_TRUNC, "f64x2.trunc", "v128 -> v128");
        plain(I8X16_AVGR_U, "i8x16.avgr_u", "v128 v128 -> v128");
        plain(I16X8_EXTADD_PAIRWISE_I8X16_S, "i16x8.extadd_pairwise_i8x16_s", "v128 -> v128");
        plain(I16X8_EXTADD_PAIRWISE_I8X16_U, "i16x8.extadd_pairwise_i8x16_u", "v128 -> v128");
        plain(I32X4_EXTADD_PAIRWISE_I16X8_S, "i32x4.extadd_pairwise_i16x8_s", "v128 -> v128");
        plain(I32X4_EXTADD_PAIRWISE_I16X8_U, "i32x4.extadd_pairwise_i16x8_u", "v128 -> v128");
        plain(I16X8_ABS, "i16x8.abs", "v128 -> v128");
        plain(I16X8_NEG, "i16x8.neg", "v128 -> v128");
        plain(I16X8_Q15MULR_SAT_S, "i16x8.q15mulr_sat_s", "v128 v128 -> v128");
        plain(I16X8_ALL_TRUE, "i16x8.all_true", "v128 -> i32");
        plain(I16X8_BITMASK, "i16x8.bitmask", "v128 -> i32");
        plain(I16X8_NARROW_I32X4_S, "i16x8.narrow_i32x4_s", "v128 v128 -> v128");
        plain(I16X8_NARROW_I32X4_U, "i16x8.narrow_i32x4_u", "v128 v128 -> v128");
        plain(I16X8_EXTEND_LOW_I8X16_S, "i16x8.extend_low_i8x16_s", "v128 -> v128");
        plain(I16X8_EXTEND_HIGH_I8X16_S, "i16x8.extend_high_i8x16_s", "v128 -> v128");
        plain(I16X8_EXTEND_LOW_I8X16_U, "i16x8.extend_low_i8x16_u", "v128 -> v128");
        plain(I16X8_EXTEND_HIGH_I8X16_U, "i16x8.extend_high_i8x16_u", "v128 -> v128");
        plain(I16X8_SHL, "i16x8.shl", "v128 i32 -> v128");
        plain(I16X8_SHR_S, "i16x8.shr_s", "v128 i32 -> v128");
        plain(I16X8_SHR_U, "i16x8.shr_u", "v128 i32 -> v128");
        plain(I16X8_ADD, "i16x8.add", "v128 v128 -> v128");
        plain(I16X8_ADD_SAT_S, "i16x8.add_sat_s", "v128 v128 -> v128");
        plain(I16X8_ADD_SAT_U, "i16x8.add_sat_u", "v128 v128 -> v128");
        plain(I16X8_SUB, "i16x8.sub", "v128 v128 -> v128");
        plain(I16X8_SUB_SAT_S, "i16x8.sub_sat_s", "v128 v128 -> v128");
        plain(I16X8_SUB_SAT_U, "i16x8.sub_sat_u", "v128 v128 -> v128");
        plain(F64X2_NEAREST, "f64x2.nearest", "v128 -> v128");
        plain(I16X8_MUL, "i16x8.mul", "v128 v128 -> v128");
        plain(I16X8_MIN_S, "i16x8.min_s", "v128 v128 -> v128");
        plain(I16X8_MIN_U, "i16x8.min_u", "v128 v128 -> v128");
        plain(I16X8_MAX_S, "i16x8.max_s", "v128 v128 -> v128");
        plain(I16X8_MAX_U, "i16x8.max_u", "v128 v128 -> v128");
        plain(I16X8_AVGR_U, "i16x8.avgr_u", "v128 v128 -> v128");
        plain(I16X8_EXTMUL_LOW_I8X16_S, "i16x8.extmul_low_i8x16_s", "v128 v128 -> v128");
        plain(I16X8_EXTMUL_HIGH_I8X16_S, "i16x8.extmul_high_i8x16_s", "v128 v128 -> v128");
        plain(I16X8_EXTMUL_LOW_I8X16_U, "i16x8.extmul_low_i8x16_u", "v128 v128 -> v128");
        plain(I16X8_EXTMUL_HIGH_I8X16_U, "i16x8.extmul_high_i8x16_u", "v128 v128 -> v128");
        plain(I32X4_ABS, "i32x4.abs", "v128 -> v128");
        plain(I32X4_NEG, "i32x4.neg", "v128 -> v128");
        plain(I32X4_ALL_TRUE, "i32x4.all_true", "v128 -> i32");
        plain(I32X4_BITMASK, "i32x4.bitmask", "v128 -> i32");
        plain(I32X4_EXTEND_LOW_I16X8_S, "i32x4.extend_low_i16x8_s", "v128 -> v128");
        plain(I32X4_EXTEND_HIGH_I16X8_S, "i32x4.extend_high_i16x8_s", "v128 -> v128");
        plain(I32X4_EXTEND_LOW_I16X8_U, "i32x4.extend_low_i16x8_u", "v128 -> v128");
        plain(I32X4_EXTEND_HIGH_I16X8_U, "i32x4.extend_high_i16x8_u", "v128 -> v128");
        plain(I32X4_SHL, "i32x4.shl", "v128 i32 -> v128");
        plain(I32X4_SHR_S, "i32x4.shr_s", "v128 i32 -> v128");
        plain(I32X4_SHR_U, "i32x4.shr_u", "v128 i32 -> v128");
        plain(I32X4_ADD, "i32x4.add", "v128 v128 -> v128");
        plain(I32X4_SUB, "i32x4.sub", "v128 v128 -> v128");
        plain(I32X4_MUL, "i32x4.mul", "v128 v128 -> v128");
        plain(I32X4_MIN_S, "i32x4.min_s", "v128 v128 -> v128");
        plain(I32X4_MIN_U, "i32x4.min_u", "v128 v128 -> v128");
        plain(I32X4_MAX_S, "i32x4.max_s", "v128 v128 -> v128");
        plain(I32X4_MAX_U, "i32x4.max_u", "v128 v128 -> v128");
        plain(I32X4_DOT_I16X8_S, "i32x4.dot_i16x8_s", "v128 v128 -> v128");
        plain(I32X4_EXTMUL_LOW_I16X8_S, "i32x4.extmul_low_i16x8_s", "v128 v128 -> v128");
        plain(I32X4_EXTMUL_HIGH_I16X8_S, "i32x4.extmul_high_i16x8_s", "v128 v128 -> v128");
        plain(I32X4_EXTMUL_LOW_I16X8_U, "i32x4.extmul_low_i16x8_u", "v128 v128 -> v128");
        plain(I32X4_EXTMUL_HIGH_I16X8_U, "i32x4.extmul_high_i16x8_u", "v128 v128 -> v128");
        plain(I64X2_ABS, "i64x2.abs", "v128 -> v128");
        plain(I64X2_NEG, "i64x2.neg", "v128 -> v128");
        plain(I64X2_ALL_TRUE, "i64x2.all_true", "v128 -> i32");
        plain(I64X2_BITMASK, "i64x2.bitmask", "v128 -> i32");
        plain(I64X2_EXTEND_LOW_I32X4_S, "i64x2.extend_low_i32x4_s", "v128 -> v128");
        plain(I64X2_EXTEND_HIGH_I32X4_S, "i64x2.extend_high_i32x4_s", "v128 -> v128");
        plain(I64X2_EXTEND_LOW_I32X4_U, "i64x2.extend_low_i32x4_u", "v128 -> v128");
        plain(I64X2_EXTEND_HIGH_I32X4_U, "i64x2.extend_high_i32x4_u", "v128 -> v128");
        plain(I64X2_SHL, "i64x2.shl", "v128 i32 -> v128");
        plain(I64X2_SHR_S, "i64x2.shr_s", "v128 i32 -> v128");
        plain(I64X2_SHR_U, "i64x2.shr_u", "v128 i32 -> v128");
        plain(I64X2_ADD, "i64x2.add", "v128 v128 -> v128");
        plain(I64X2_SUB, "i64x2.sub", "v128 v128 -> v128");
        plain(I64X2_MUL, "i64x2.mul", "v128 v128 -> v128");
        plain(I64X2_EQ, "i64x2.eq", "v128 v128 -> v128");
        plain(I64X2_NE, "i64x2.ne", "v128 v128 -> v128");
        plain(I64X2_LT_S, "i64x2.lt_s", "v128 v128 -> v128");
        plain(I64X2_GT_S, "i64x2.gt_s", "v128 v128 -> v128");
        plain(I64X2_LE_S, "i64x2.le_s", "v128 v128 -> v128");
        plain(I64X2_GE_S, "i64x2.ge_s", "v128 v128 -> v128");
        plain(I64X2_EXTMUL_LOW_I32X4_S, "i64x2.extmul_low_i32x4_s", "v128 v128 -> v128");
        plain(I64X2_EXTMUL_HIGH_I32X4_S, "i64x2.extmul_high_i32x4_s", "v128 v128 -> v128");
        plain(I64X2_EXTMUL_LOW_I32X4_U, "i64x2.extmul_low_i32x4_u", "v128 v128 -> v128");
        plain(I64X2_EXTMUL_HIGH_I32X4_U, "i64x2.extmul_high_i32x4_u", "v128 v128 -> v128");
        plain(F32X4_ABS, "f32x4.abs", "v128 -> v128");
        plain(F32X4_NEG, "f32x4.neg", "v128 -> v128");
        plain(F32X4_SQRT, "f32x4.sqrt", "v128 -> v128");
        plain(F32X4_ADD, "f32x4.add", "v128 v128 -> v128");
        plain(F32X4_SUB, "f32x4.sub", "v128 v128 -> v128");
        plain(F32X4_MUL, "f32x4.mul", "v128 v128 -> v128");
        plain(F32X4_DIV, "f32x4.div", "v128 v128 -> v128");
        plain(F32X4_MIN, "f32x4.min", "v128 v128 -> v128");
        plain(F32X4_MAX, "f32x4.max", "v128 v128 -> v128");
        plain(F32X4_PMIN, "f32x4.pmin", "v128 v128 -> v128");
        plain(F32X4_PMAX, "f32x4.pmax", "v128 v128 -> v128");
        plain(F64X2_ABS, "f64x2.abs", "v128 -> v128");
        plain(F64X2_NEG, "f64x2.neg", "v128 -> v128");
        plain(F64X2_SQRT, "f64x2.sqrt", "v128 -> v128");
        plain(F64X2_ADD, "f64x2.add", "v128 v128 -> v128");
        plain(F64X2_SUB, "f64x2.sub", "v128 v128 -> v128");
        plain(F64X2_MUL, "f64x2.mul", "v128 v128 -> v128");
        plain(F64X2_DIV, "f64x2.div", "v128 v128 -> v128");
        plain(F64X2_MIN, "f64x2.min", "v128 v128 -> v128");
        plain(F64X2_MAX, "f64x2.max", "v128 v128 -> v128");
        plain(F64X2_PMIN, "f64x2.pmin", "v128 v128 -> v128");
        plain(F64X2_PMAX, "f64x2.pmax", "v128 v128 -> v128");
        plain(I32X4_TRUNC_SAT_F32X4_S, "i32x4.trunc_sat_f32x4_s", "v128 -> v128");
        plain(I32X4_TRUNC_SAT_F32X4_U, "i32x4.trunc_sat_f32x4_u", "v128 -> v128");
        plain(F32X4_CONVERT_I32X4_S, "f32x4.convert_i32x4_s", "v128 -> v128");
        plain(F32X4_CONVERT_I32X4_U, "f32x4.convert_i32x4_u", "v128 -> v128");
        plain(I32X4_TRUNC_SAT_F64X2_S_ZERO, "i32x4.trunc_sat_f64x2_s_zero", "v128 -> v128");
        plain(I32X4_TRUNC_SAT_F64X2_U_ZERO, "i32x4.trunc_sat_f64x2_u_zero", "v128 -> v128");
        plain(F64X2_CONVERT_LOW_I32X4_S, "f64x2.convert_low_i32x4_s", "v128 -> v128");
        plain(F64X2_CONVERT_LOW_I32X4_U, "f64x2.convert_low_i32x4_u", "v128 -> v128");

        // Relaxed SIMD (prefix 0xFD, Wasm 3.0).
        plain(I8X16_RELAXED_SWIZZLE, "i8x16.relaxed_swizzle", "v128 v128 -> v128");
        plain(I32X4_RELAXED_TRUNC_F32X4_S, "i32x4.relaxed_trunc_f32x4_s", "v128 -> v128");
        plain(I32X4_RELAXED_TRUNC_F32X4_U, "i32x4.relaxed_trunc_f32x4_u", "v128 -> v128");
        plain(I32X4_RELAXED_TRUNC_F64X2_S_ZERO, "i32x4.relaxed_trunc_f64x2_s_zero", "v128 -> v128");
        plain(I32X4_RELAXED_TRUNC_F64X2_U_ZERO, "i32x4.relaxed_trunc_f64x2_u_zero", "v128 -> v128");
        plain(F32X4_RELAXED_MADD, "f32x4.relaxed_madd", "v128 v128 v128 -> v128");
        plain(F32X4_RELAXED_NMADD, "f32x4.relaxed_nmadd", "v128 v128 v128 -> v128");
        plain(F64X2_RELAXED_MADD, "f64x2.relaxed_madd", "v128 v128 v128 -> v128");
        plain(F64X2_RELAXED_NMADD, "f64x2.relaxed_nmadd", "v128 v128 v128 -> v128");
        plain(I8X16_RELAXED_LANESELECT, "i8x16.relaxed_laneselect", "v128 v128 v128 -> v128");
        plain(I16X8_RELAXED_LANESELECT, "i16x8.relaxed_laneselect", "v128 v128 v128 -> v128");
        plain(I32X4_RELAXED_LANESELECT, "i32x4.relaxed_laneselect", "v128 v128 v128 -> v128");
        plain(I64X2_RELAXED_LANESELECT, "i64x2.relaxed_laneselect", "v128 v128 v128 -> v128");
        plain(F32X4_RELAXED_MIN, "f32x4.relaxed_min", "v128 v128 -> v128");
        plain(F32X4_RELAXED_MAX, "f32x4.relaxed_max", "v128 v128 -> v128");
        plain(F64X2_RELAXED_MIN, "f64x2.relaxed_min", "v128 v128 -> v128");
        plain(F64X2_RELAXED_MAX, "f64x2.relaxed_max", "v128 v128 -> v128");
        plain(I16X8_RELAXED_Q15MULR_S, "i16x8.relaxed_q15mulr_s", "v128 v128 -> v128");
        plain(I16X8_RELAXED_DOT_I8X16_I7X16_S, "i16x8.relaxed_dot_i8x16_i7x16_s", "v128 v128 -> v128");
        plain(I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S, "i32x4.relaxed_dot_i8x16_i7x16_add_s", "v128 v128 v128 -> v128");

        // Threads (prefix 0xFE).
        atomic(MEMORY_ATOMIC_NOTIFY, "memory.atomic.notify", NOTIFY, "i32 i32 -> i32", 2);
        atomic(MEMORY_ATOMIC_WAIT32, "memory.atomic.wait32", WAIT, "i32 i32 i64 -> i32", 2);
        atomic(MEMORY_ATOMIC_WAIT64, "memory.atomic.wait64", WAIT, "i32 i64 i64 -> i32", 3);
        row(ATOMIC_FENCE, "atomic.fence", ZERO_BYTE, "->", FENCE);
        atomic(I32_ATOMIC_LOAD, "i32.atomic.load", LOAD, "i32 -> i32", 2);
        atomic(I64_ATOMIC_LOAD, "i64.atomic.load", LOAD, "i32 -> i64", 3);
        atomic(I32_ATOMIC_LOAD8_U, "i32.atomic.load8_u", LOAD, "i32 -> i32", 0);
        atomic(I32_ATOMIC_LOAD16_U, "i32.atomic.load16_u", LOAD, "i32 -> i32", 1);
        atomic(I64_ATOMIC_LOAD8_U, "i64.atomic.load8_u", LOAD, "i32 -> i64", 0);
        atomic(I64_ATOMIC_LOAD16_U, "i64.atomic.load16_u", LOAD, "i32 -> i64", 1);
        atomic(I64_ATOMIC_LOAD32_U, "i64.atomic.load32_u", LOAD, "i32 -> i64", 2);
        atomic(I32_ATOMIC_STORE, "i32.atomic.store", STORE, "i32 i32 ->", 2);
        atomic(I64_ATOMIC_STORE, "i64.atomic.store", STORE, "i32 i64 ->", 3);
        atomic(I32_ATOMIC_STORE8, "i32.atomic.store8", STORE, "i32 i32 ->", 0);
        atomic(I32_ATOMIC_STORE16, "i32.atomic.store16", STORE, "i32 i32 ->", 1);
        atomic(I64_ATOMIC_STORE8, "i64.atomic.store8", STORE, "i32 i64 ->", 0);
        atomic(I64_ATOMIC_STORE16, "i64.atomic.store16", STORE, "i32 i64 ->", 1);
        atomic(I64_ATOMIC_STORE32, "i64.atomic.store32", STORE, "i32 i64 ->", 2);
        atomic(I32_ATOMIC_RMW_ADD, "i32.atomic.rmw.add", ADD, "i32 i32 -> i32", 2);
        atomic(I64_ATOMIC_RMW_ADD, "i64.atomic.rmw.add", ADD, "i32 i64 -> i64", 3);
        atomic(I32_ATOMIC_RMW8_ADD_U, "i32.atomic.rmw8.add_u", ADD, "i32 i32 -> i32", 0);
        atomic(I32_ATOMIC_RMW16_ADD_U, "i32.atomic.rmw16.add_u", ADD, "i32 i32 -> i32", 1);
        atomic(I64_ATOMIC_RMW8_ADD_U, "i64.atomic.rmw8.add_u", ADD, "i32 i64 -> i64", 0);
        atomic(I64_ATOMIC_RMW16_ADD_U, "i64.atomic.rmw16.add_u", ADD, "i32 i64 -> i64", 1);
        atomic(I64_ATOMIC_RMW32_ADD_U, "i64.atomic.rmw32.add_u", ADD, "i32 i64 -> i64", 2);
        atomic(I32_ATOMIC_RMW_SUB, "i32.atomic.rmw.sub", SUB, "i32 i32 -> i32", 2);
        atomic(I64_ATOMIC_RMW_SUB, "i64.atomic.rmw.sub", SUB, "i32 i64 -> i64", 3);
        atomic(I32_ATOMIC_RMW8_SUB_U, "i32.atomic.rmw8.sub_u", SUB, "i32 i32 -> i32", 0);
        atomic(I32_ATOMIC_RMW16_SUB_U, "i32.atomic.rmw16.sub_u", SUB, "i32 i32 -> i32", 1);
        atomic(I64_ATOMIC_RMW8_SUB_U, "i64.atomic.rmw8.sub_u", SUB, "i32 i64 -> i64", 0);
        atomic(I64_ATOMIC_RMW16_SUB_U, "i64.atomic.rmw16.sub_u", SUB, "i32 i64 -> i64", 1);
        atomic(I64_ATOMIC_RMW32_SUB_U, "i64.atomic.rmw32.sub_u", SUB, "i32 i64 -> i64", 2);
        atomic(I32_ATOMIC_RMW_AND, "i32.atomic.rmw.and", AND, "i32 i32 -> i32", 2);
        atomic(I64_ATOMIC_RMW_AND, "i64.atomic.rmw.and", AND, "i32 i64 -> i64", 3);
        atomic(I32_ATOMIC_RMW8_AND_U, "i32.atomic.rmw8.and_u", AND, "i32 i32 -> i32", 0);
        atomic(I32_ATOMIC_RMW16_AND_U, "i32.atomic.rmw16.and_u", AND, "i32 i32 -> i32", 1);
        atomic(I64_ATOMIC_RMW8_AND_U, "i64.atomic.rmw8.and_u", AND, "i32 i64 -> i64", 0);
        atomic(I64_ATOMIC_RMW16_AND_U, "i64.atomic.rmw16.and_u", AND, "i32 i64 -> i64", 1);
        atomic(I64_ATOMIC_RMW32_AND_U, "i64.atomic.rmw32.and_u", AND, "i32 i64 -> i64", 2);
        atomic(I32_ATOMIC_RMW_OR, "i32.atomic.rmw.or", OR, "i32 i32 -> i32", 2);
        atomic(I64_ATOMIC_RMW_OR, "i64.atomic.rmw.or", OR, "i32 i64 -> i64", 3);
        atomic(I32_ATOMIC_RMW8_OR_U, "i32.atomic.rmw8.or_u", OR, "i32 i32 -> i32", 0);
        atomic(I32_ATOMIC_RMW16_OR_U, "i32.atomic.rmw16.or_u", OR, "i32 i32 -> i32", 1);
        atomic(I64_ATOMIC_RMW8_OR_U, "i64.atomic.rmw8.or_u", OR, "i32 i64 -> i64", 0);
        atomic(I64_ATOMIC_RMW16_OR_U, "i64.atomic.rmw16.or_u", OR, "i32 i64 -> i64", 1);
        atomic(I64_ATOMIC_RMW32_OR_U, "i64.atomic.rmw32.or_u", OR, "i32 i64 -> i64", 2);
        atomic(I32_ATOMIC_RMW_XOR, "i32.atomic.rmw.xor", XOR, "i32 i32 -> i32", 2);
        atomic(I64_ATOMIC_RMW_XOR, "i64.atomic.rmw.xor", XOR, "i32 i64 -> i64", 3);
        atomic(I32_ATOMIC_RMW8_XOR_U, "i32.atomic.rmw8.xor_u", XOR, "i32 i32 -> i32", 0);
        atomic(I32_ATOMIC_RMW16_XOR_U, "i32.atomic.rmw16.xor_u", XOR, "i32 i32 -> i32", 1);
        atomic(I64_ATOMIC_RMW8_XOR_U, "i64.atomic.rmw8.xor_u", XOR, "i32 i64 -> i64", 0);
        atomic(I64_ATOMIC_RMW16_XOR_U, "i64.atomic.rmw16.xor_u", XOR, "i32 i64 -> i64", 1);
        atomic(I64_ATOMIC_RMW32_XOR_U, "i64.atomic.rmw32.xor_u", XOR, "i32 i64 -> i64", 2);
        atomic(I32_ATOMIC_RMW_XCHG, "i32.atomic.rmw.xchg", XCHG, "i32 i32 -> i32", 2);
        atomic(I64_ATOMIC_RMW_XCHG, "i64.atomic.rmw.xchg", XCHG, "i32 i64 -> i64", 3);
        atomic(I32_ATOMIC_RMW8_XCHG_U, "i32.atomic.rmw8.xchg_u", XCHG, "i32 i32 -> i32", 0);
        atomic(I32_ATOMIC_RMW16_XCHG_U, "i32.atomic.rmw16.xchg_u", XCHG, "i32 i32 -> i32", 1);
        atomic(I64_ATOMIC_RMW8_XCHG_U, "i64.atomic.rmw8.xchg_u", XCHG, "i32 i64 -> i64", 0);
        atomic(I64_ATOMIC_RMW16_XCHG_U, "i64.atomic.rmw16.xchg_u", XCHG, "i32 i64 -> i64", 1);
        atomic(I64_ATOMIC_RMW32_XCHG_U, "i64.atomic.rmw32.xchg_u", XCHG, "i32 i64 -> i64", 2);
        atomic(I32_ATOMIC_RMW_CMPXCHG, "i32.atomic.rmw.cmpxchg", CMPXCHG, "i32 i32 i32 -> i32", 2);
        atomic(I64_ATOMIC_RMW_CMPXCHG, "i64.atomic.rmw.cmpxchg", CMPXCHG, "i32 i64 i64 -> i64", 3);
        atomic(I32_ATOMIC_RMW8_CMPXCHG_U, "i32.atomic.rmw8.cmpxchg_u", CMPXCHG, "i32 i32 i32 -> i32", 0);
        atomic(I32_ATOMIC_RMW16_CMPXCHG_U, "i32.atomic.rmw16.cmpxchg_u", CMPXCHG, "i32 i32 i32 -> i32", 1);
        atomic(I64_ATOMIC_RMW8_CMPXCHG_U, "i64.atomic.rmw8.cmpxchg_u", CMPXCHG, "i32 i64 i64 -> i64", 0);
        atomic(I64_ATOMIC_RMW16_CMPXCHG_U, "i64.atomic.rmw16.cmpxchg_u", CMPXCHG, "i32 i64 i64 -> i64", 1);
        atomic(I64_ATOMIC_RMW32_CMPXCHG_U, "i64.atomic.rmw32.cmpxchg_u", CMPXCHG, "i32 i64 i64 -> i64", 2);
    }

    /** The instruction {@code opcode}, or {@code null} if there is none. */
    public static Instruction of(int opcode) {
        if (opcode >= 0 && opcode < ONE_BYTE.length) return ONE_BYTE[opcode];
        int prefix = Opcodes.prefix(opcode);
        if (prefix < PREFIX_MISC || prefix > PREFIX_ATOMIC) return null;
        return PREFIXED[prefix - PREFIX_MISC][opcode & 0xFFF];
    }

    /** Every instruction, in table order. */
    public static List<Instruction> all() {
        return Collections.unmodifiableList(ALL);
    }

    private static void add(Instruction insn) {
        int opcode = insn.opcode();
        Instruction[] block = opcode < ONE_BYTE.length ? ONE_BYTE : PREFIXED[Opcodes.prefix(opcode) - PREFIX_MISC];
        int index = opcode < ONE_BYTE.length ? opcode : opcode & 0xFFF;
        if (block[index] != null) throw new IllegalStateException("two rows for opcode 0x" + Integer.toHexString(opcode));
        block[index] = insn;
        ALL.add(insn);
    }

    private static void control(int opcode, String name, Immediates immediates) {
        add(new Instruction(name, opcode, immediates, null, -1, null, 0));
    }

    private static void row(int opcode, String name, Immediates immediates, String type) {
        add(new Instruction(name, opcode, immediates, new Instruction.Signature(type), -1, null, 0));
    }

    private static void row(int opcode, String name, Immediates immediates, String type, AtomicOp atomic) {
        add(new Instruction(name, opcode, immediates, new Instruction.Signature(type), -1, atomic, 0));
    }

    private static void plain(int opcode, String name, String type) {
        row(opcode, name, NONE, type);
    }

    private static void memarg(int opcode, String name, String type, int naturalAlign) {
        add(new Instruction(name, opcode, MEMARG, new Instruction.Signature(type), naturalAlign, null, 0));
    }

    private static void atomic(int opcode, String name, AtomicOp op, String type, int naturalAlign) {
        add(new Instruction(name, opcode, MEMARG, new Instruction.Signature(type), naturalAlign, op, 0));
    }

    private static void lane(int opcode, String name, String type, int lanes) {
        add(new Instruction(name, opcode, LANE, new Instruction.Signature(type), -1, null, lanes));
    }

    /** A load or store of one lane, whose natural alignment is the lane's width, 16 bytes / lanes. */
    private static void memoryLane(int opcode, String name, String type, int lanes) {
        add(new Instruction(name, opcode, MEMARG_AND_LANE, new Instruction.Signature(type),
                Integer.numberOfTrailingZeros(16 / lanes), null, lanes));
    }
}
