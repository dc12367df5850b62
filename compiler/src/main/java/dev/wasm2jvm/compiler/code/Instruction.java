package dev.wasm2jvm.compiler.code;

import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One WebAssembly instruction as {@link Instructions} describes it: its spec name, opcode,
 * immediates, stack type, memory access width and atomic form. The decoder reads immediates by
 * {@link #immediates}, the validator and the code generator take operand and result types from
 * {@link #type}.
 *
 * @param name the spec's name, {@code i32.atomic.rmw8.add_u}
 * @param opcode the opcode as {@link Opcodes} encodes it
 * @param immediates what follows the opcode in the binary format
 * @param signature the stack type, or {@code null} for the control and parametric instructions
 *     whose type the validator derives from context (blocks, branches, calls, {@code drop},
 *     {@code select})
 * @param naturalAlign for an instruction with a {@code memarg}, the log2 of its access width in
 *     bytes, which bounds the encoded alignment (atomic accesses: equals it); -1 otherwise
 * @param atomic the threads proposal's operation of an atomic instruction, or {@code null}
 * @param lanes for a lane instruction, the number of lanes, which bounds the lane index; 0 otherwise
 */
public record Instruction(String name, int opcode, Immediates immediates, Signature signature, int naturalAlign,
                          AtomicOp atomic, int lanes) {

    /** What follows an opcode in the binary format. */
    public enum Immediates {
        NONE,
        /** {@code block}, {@code loop}, {@code if}: a block type. */
        BLOCK_TYPE,
        /** {@code br}, {@code br_if}, {@code rethrow}, {@code delegate}: a label index. */
        LABEL,
        /** {@code throw}, the legacy {@code catch}: a tag index. */
        TAG,
        /** {@code try_table}: a block type and a vector of catch clauses. */
        TRY_TABLE,
        /** {@code br_table}: a vector of label indices and the default label. */
        LABEL_TABLE,
        /** {@code call}, {@code ref.func}: a function index. */
        FUNCTION,
        /** {@code call_indirect}: a type index and a table index. */
        TYPE_AND_TABLE,
        /** {@code select t*}: a vector of value types. */
        VALUE_TYPES,
        LOCAL,
        GLOBAL,
        TABLE,
        /** {@code table.copy}: destination and source table. */
        TABLE_PAIR,
        ELEMENT,
        /** {@code table.init}: element segment, then table. */
        ELEMENT_AND_TABLE,
        /** A memory index, which is the zero byte of memory 0. */
        MEMORY,
        /** {@code memory.copy}: destination and source memory, zero bytes each. */
        MEMORY_PAIR,
        DATA,
        /** {@code memory.init}: data segment, then memory. */
        DATA_AND_MEMORY,
        /** Alignment exponent and offset. */
        MEMARG,
        /** A memarg, then a lane index. */
        MEMARG_AND_LANE,
        /** A lane index byte. */
        LANE,
        /** {@code i8x16.shuffle}: 16 lane index bytes. */
        LANES_16,
        I32,
        I64,
        F32,
        F64,
        /** {@code v128.const}: 16 bytes. */
        V128,
        REF_TYPE,
        /** {@code atomic.fence}: a reserved zero byte. */
        ZERO_BYTE
    }

    /** The threads proposal's operations: what an atomic instruction does with memory. */
    public enum AtomicOp { LOAD, STORE, ADD, SUB, AND, OR, XOR, XCHG, CMPXCHG, WAIT, NOTIFY, FENCE }

    /**
     * A stack type written as in the spec, {@code "i32 i32 -> i32"}, where {@code t} stands for the
     * type of the entity the instruction's index names (the local, global or table's element type)
     * or, for {@code ref.null} and {@code ref.is_null}, the reference type; resolved once per value
     * type.
     */
    public static final class Signature {
        private final FuncType[] byType = new FuncType[ValType.values().length];
        private final boolean generic;
        private final int operands;
        private final int results;

        Signature(String text) {
            String[] sides = text.split("->", -1);
            if (sides.length != 2) throw new IllegalArgumentException("not a stack type: " + text);
            generic = text.matches(".*\\bt\\b.*");
            operands = words(sides[0]).length;
            results = words(sides[1]).length;
            FuncType fixed = generic ? null : new FuncType(types(sides[0], null), types(sides[1], null));
            for (ValType t : ValType.values()) {
                byType[t.ordinal()] = generic ? new FuncType(types(sides[0], t), types(sides[1], t)) : fixed;
            }
        }

        private static String[] words(String side) {
            return side.isBlank() ? new String[0] : side.strip().split("\\s+");
        }

        private static List<ValType> types(String side, ValType t) {
            return Arrays.stream(words(side))
                    .map(w -> w.equals("t") ? t : ValType.valueOf(w.toUpperCase(Locale.ROOT)))
                    .toList();
        }

        /** Whether the type depends on an indexed entity's type ({@code t}). */
        public boolean generic() {
            return generic;
        }
    }

    /** The stack type of an instruction whose type names no other type. */
    public FuncType type() {
        if (signature == null) throw new IllegalStateException(name + " is typed by the validator from its context");
        if (signature.generic) throw new IllegalStateException(name + " is typed by what its index names");
        return signature.byType[0];
    }

    /** The stack type, with {@code t} the type of the entity the instruction's index names. */
    public FuncType type(ValType t) {
        if (signature == null) throw new IllegalStateException(name + " is typed by the validator from its context");
        return signature.byType[t.ordinal()];
    }

    /**
     * The stack type of an instruction that names memories or tables, with their address types:
     * {@code address} that of the memory or table it names (the destination of a copy), and
     * {@code source} that of a copy's source, else the same. An address type {@code i64} (memory64,
     * table64) types the addresses, indices, sizes and lengths that refer to that memory or table;
     * a copy's length is {@code i64} only when both are.
     */
    public FuncType type(ValType t, ValType address, ValType source) {
        FuncType type = type(t);
        if (address == ValType.I32 && source == ValType.I32) return type;
        List<ValType> params = new ArrayList<>(type.params());
        List<ValType> results = new ArrayList<>(type.results());
        switch (opcode) {
            case Opcodes.MEMORY_COPY, Opcodes.TABLE_COPY -> {
                params.set(0, address);
                params.set(1, source);
                params.set(2, address == ValType.I64 && source == ValType.I64 ? ValType.I64 : ValType.I32);
            }
            case Opcodes.MEMORY_SIZE, Opcodes.TABLE_SIZE -> results.set(0, address);
            case Opcodes.MEMORY_GROW -> {
                params.set(0, address);
                results.set(0, address);
            }
            case Opcodes.TABLE_GROW -> {
                params.set(1, address);
                results.set(0, address);
            }
            case Opcodes.MEMORY_FILL, Opcodes.TABLE_FILL -> {
                params.set(0, address);
                params.set(2, address);
            }
            // Loads, stores, atomics, SIMD memory accesses, memory.init, table.init/get/set: the address first.
            default -> params.set(0, address);
        }
        return new FuncType(params, results);
    }

    /** How many operands the instruction pops; its type's parameters, whatever {@code t} is. */
    public int operands() {
        if (signature == null) throw new IllegalStateException(name + " is typed by the validator from its context");
        return signature.operands;
    }

    /** How many results the instruction pushes; its type's results, whatever {@code t} is. */
    public int results() {
        if (signature == null) throw new IllegalStateException(name + " is typed by the validator from its context");
        return signature.results;
    }

    /** The access width in bytes of an instruction with a {@code memarg}. */
    public int width() {
        return 1 << naturalAlign;
    }
}
