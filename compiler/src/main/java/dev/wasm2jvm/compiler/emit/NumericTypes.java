package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operand and result types of the numeric instructions, read off their spec names: the prefix
 * is the result type, a {@code _t} suffix names a conversion's operand type, comparisons and
 * {@code eqz} yield i32, and the remaining names are unary or binary on their prefix type.
 */
final class NumericTypes {
    private static final List<String> UNARY = List.of("clz", "ctz", "popcnt", "abs", "neg", "ceil", "floor", "trunc",
            "nearest", "sqrt", "extend8_s", "extend16_s", "extend32_s");
    private static final List<String> COMPARISONS = List.of("eq", "ne", "lt", "lt_s", "lt_u", "gt", "gt_s", "gt_u",
            "le", "le_s", "le_u", "ge", "ge_s", "ge_u");
    private static final Map<Integer, FuncType> SIGNATURES = new HashMap<>();

    static {
        for (int op = 0x45; op <= 0xC4; op++) add(op);
        for (int op = Opcodes.I32_TRUNC_SAT_F32_S; op <= Opcodes.I64_TRUNC_SAT_F64_U; op++) add(op);
    }

    private NumericTypes() {}

    /** The type of numeric instruction {@code opcode}, or {@code null} if it is not one. */
    static FuncType signature(int opcode) {
        return SIGNATURES.get(opcode);
    }

    private static void add(int opcode) {
        String name = Opcodes.name(opcode);
        int dot = name.indexOf('.');
        ValType result = type(name.substring(0, dot));
        String op = name.substring(dot + 1);
        ValType operand = null;
        for (String t : List.of("i32", "i64", "f32", "f64")) {
            if (op.contains("_" + t)) operand = type(t);
        }
        FuncType sig;
        if (operand != null) {
            sig = new FuncType(List.of(operand), List.of(result));
        } else if (op.equals("eqz")) {
            sig = new FuncType(List.of(result), List.of(ValType.I32));
        } else if (COMPARISONS.contains(op)) {
            sig = new FuncType(List.of(result, result), List.of(ValType.I32));
        } else if (UNARY.contains(op)) {
            sig = new FuncType(List.of(result), List.of(result));
        } else {
            sig = new FuncType(List.of(result, result), List.of(result));
        }
        SIGNATURES.put(opcode, sig);
    }

    private static ValType type(String name) {
        return switch (name) {
            case "i32" -> ValType.I32;
            case "i64" -> ValType.I64;
            case "f32" -> ValType.F32;
            case "f64" -> ValType.F64;
            default -> throw new IllegalArgumentException(name);
        };
    }
}
