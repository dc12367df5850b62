package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.module.ValType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes binary modules for tests that need inputs too large or too regular to commit: types,
 * imported and defined functions, one memory with active data segments, one table with an active
 * element segment, i32 globals, function and global exports. Instructions are written into a
 * {@link Code} with the spec's opcodes.
 */
public final class ModuleBuilder {
    private final List<byte[]> types = new ArrayList<>();
    private final List<byte[]> imports = new ArrayList<>();
    private final List<Integer> functionTypes = new ArrayList<>();
    private final List<byte[]> bodies = new ArrayList<>();
    private final List<byte[]> exports = new ArrayList<>();
    private final List<byte[]> globals = new ArrayList<>();
    private final List<byte[]> data = new ArrayList<>();
    private byte[] memory;
    private byte[] table;
    private byte[] elements;

    /** Adds type {@code params -> results} and returns its typeidx. */
    public int type(List<ValType> params, List<ValType> results) {
        Code t = new Code();
        t.u8(0x60).vector(params).vector(results);
        types.add(t.bytes());
        return types.size() - 1;
    }

    /** Imports function {@code module.name} of type {@code typeidx}; imports come before definitions. */
    public int importFunction(String module, String name, int typeidx) {
        if (!functionTypes.isEmpty()) throw new IllegalStateException("imports come before defined functions");
        Code i = new Code();
        i.name(module).name(name).u8(0x00).u32(typeidx);
        imports.add(i.bytes());
        return imports.size() - 1;
    }

    /**
     * Defines a function of type {@code typeidx} with extra {@code locals}, whose body is {@code body}
     * followed by the final {@code end}; returns its funcidx.
     */
    public int function(int typeidx, List<ValType> locals, Code body) {
        Code f = new Code();
        f.u32(locals.size());
        for (ValType l : locals) f.u32(1).u8(l.code());
        f.raw(body.bytes()).u8(0x0B);
        functionTypes.add(typeidx);
        bodies.add(new Code().u32(f.size()).raw(f.bytes()).bytes());
        return imports.size() + functionTypes.size() - 1;
    }

    public void exportFunction(String name, int funcidx) {
        Code e = new Code();
        e.name(name).u8(0x00).u32(funcidx);
        exports.add(e.bytes());
    }

    /** Defines an i32 global initialised to {@code value}, exported as {@code name} unless that is null; returns its globalidx. */
    public int globalI32(boolean mutable, int value, String name) {
        globals.add(new Code().u8(ValType.I32.code()).u8(mutable ? 1 : 0).i32Const(value).end().bytes());
        if (name != null) exports.add(new Code().name(name).u8(0x03).u32(globals.size() - 1).bytes());
        return globals.size() - 1;
    }

    /**
     * Defines an immutable global of type {@code type} whose initializer is the constant expression
     * {@code init} (its final {@code end} added), exported as {@code name}; returns its globalidx.
     */
    public int global(ValType type, Code init, String name) {
        globals.add(new Code().u8(type.code()).u8(0).raw(init.bytes()).end().bytes());
        exports.add(new Code().name(name).u8(0x03).u32(globals.size() - 1).bytes());
        return globals.size() - 1;
    }

    /** An active data segment writing {@code bytes} to memory 0 at {@code offset}. */
    public void data(int offset, byte[] bytes) {
        data.add(new Code().u8(0x00).i32Const(offset).end().u32(bytes.length).raw(bytes).bytes());
    }

    /** Memory 0 with {@code min} pages and no maximum, exported as {@code memory}. */
    public void memory(int min) {
        memory = new Code().u32(1).u8(0x00).u32(min).bytes();
        exports.add(new Code().name("memory").u8(0x02).u32(0).bytes());
    }

    /** Table 0 of funcref holding {@code funcidxs} from element 0. */
    public void table(int... funcidxs) {
        table = new Code().u32(1).u8(0x70).u8(0x00).u32(funcidxs.length).bytes();
        Code e = new Code();
        e.u32(1).u32(0).u8(0x41).s32(0).u8(0x0B).u32(funcidxs.length);
        for (int f : funcidxs) e.u32(f);
        elements = e.bytes();
    }

    public byte[] build() {
        Code m = new Code();
        m.raw(new byte[] {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00});
        section(m, 1, types);
        section(m, 2, imports);
        Code functions = new Code().u32(functionTypes.size());
        for (int t : functionTypes) functions.u32(t);
        section(m, 3, functions.bytes());
        if (table != null) section(m, 4, table);
        if (memory != null) section(m, 5, memory);
        section(m, 6, globals);
        section(m, 7, exports);
        if (elements != null) section(m, 9, elements);
        section(m, 10, bodies);
        section(m, 11, data);
        return m.bytes();
    }

    private static void section(Code m, int id, List<byte[]> entries) {
        Code s = new Code().u32(entries.size());
        for (byte[] e : entries) s.raw(e);
        section(m, id, s.bytes());
    }

    private static void section(Code m, int id, byte[] content) {
        m.u8(id).u32(content.length).raw(content);
    }

    /** Instruction bytes, LEB128 immediates included. */
    public static final class Code {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Code u8(int b) {
            out.write(b);
            return this;
        }

        public Code raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        public Code u32(long value) {
            do {
                int b = (int) (value & 0x7F);
                value >>>= 7;
                out.write(value != 0 ? b | 0x80 : b);
            } while (value != 0);
            return this;
        }

        public Code s32(int value) {
            return s64(value);
        }

        public Code s64(long value) {
            while (true) {
                int b = (int) (value & 0x7F);
                value >>= 7;
                boolean done = value == 0 && (b & 0x40) == 0 || value == -1 && (b & 0x40) != 0;
                out.write(done ? b : b | 0x80);
                if (done) return this;
            }
        }

        Code name(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return u32(b.length).raw(b);
        }

        Code vector(List<ValType> types) {
            u32(types.size());
            for (ValType t : types) u8(t.code());
            return this;
        }

        /** An instruction without immediates, such as {@code i32.add} (0x6A). */
        public Code op(int opcode) {
            return u8(opcode);
        }

        public Code i32Const(int value) {
            return u8(0x41).s32(value);
        }

        public Code i64Const(long value) {
            return u8(0x42).s64(value);
        }

        public Code f64Const(double value) {
            u8(0x44);
            long bits = Double.doubleToRawLongBits(value);
            for (int i = 0; i < 8; i++) u8((int) (bits >>> 8 * i) & 0xFF);
            return this;
        }

        public Code localGet(int index) {
            return u8(0x20).u32(index);
        }

        public Code localSet(int index) {
            return u8(0x21).u32(index);
        }

        public Code localTee(int index) {
            return u8(0x22).u32(index);
        }

        public Code call(int funcidx) {
            return u8(0x10).u32(funcidx);
        }

        public Code callIndirect(int typeidx) {
            return u8(0x11).u32(typeidx).u8(0x00);
        }

        /** {@code block}, {@code loop} or {@code if} with an empty blocktype or one result. */
        public Code block(int opcode, ValType result) {
            return u8(opcode).u8(result == null ? 0x40 : result.code());
        }

        /** {@code block}, {@code loop} or {@code if} whose blocktype is type {@code typeidx}. */
        public Code block(int opcode, int typeidx) {
            return u8(opcode).s32(typeidx);
        }

        public Code end() {
            return u8(0x0B);
        }

        public Code br(int labelidx) {
            return u8(0x0C).u32(labelidx);
        }

        public Code brIf(int labelidx) {
            return u8(0x0D).u32(labelidx);
        }

        public Code brTable(int[] labels, int defaultLabel) {
            u8(0x0E).u32(labels.length);
            for (int l : labels) u32(l);
            return u32(defaultLabel);
        }

        /** A memory access with alignment exponent {@code align} and {@code offset}. */
        public Code memarg(int opcode, int align, int offset) {
            return u8(opcode).u32(align).u32(offset);
        }

        public int size() {
            return out.size();
        }

        public byte[] bytes() {
            return out.toByteArray();
        }
    }
}
