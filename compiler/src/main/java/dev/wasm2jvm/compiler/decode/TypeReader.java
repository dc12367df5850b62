package dev.wasm2jvm.compiler.decode;

import dev.wasm2jvm.compiler.binary.ByteReader;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.GlobalType;
import dev.wasm2jvm.compiler.module.Limits;
import dev.wasm2jvm.compiler.module.MemoryType;
import dev.wasm2jvm.compiler.module.TableType;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.ArrayList;
import java.util.List;

/** Reads the binary encodings of types. */
final class TypeReader {
    private static final int FUNC_TYPE_TAG = 0x60;
    private static final int LIMITS_HAS_MAX = 0x01;
    private static final int LIMITS_SHARED = 0x02;
    private static final int LIMITS_ADDRESS64 = 0x04;

    private TypeReader() {}

    static ValType valType(ByteReader in) {
        int at = in.pos();
        ValType t = ValType.fromCode(in.typeByte());
        if (t == null) throw in.error("malformed value type", at);
        return t;
    }

    static ValType refType(ByteReader in) {
        int at = in.pos();
        ValType t = ValType.refFromCode(in.typeByte());
        if (t == null) throw in.error("malformed reference type", at);
        return t;
    }

    static FuncType funcType(ByteReader in) {
        int at = in.pos();
        if (in.typeByte() != FUNC_TYPE_TAG) throw in.error("malformed function type", at);
        List<ValType> params = valTypes(in);
        return new FuncType(params, valTypes(in));
    }

    private static List<ValType> valTypes(ByteReader in) {
        int n = in.length();
        List<ValType> types = new ArrayList<>(n);
        for (int i = 0; i < n; i++) types.add(valType(in));
        return types;
    }

    static TableType tableType(ByteReader in) {
        ValType elemType = refType(in);
        int at = in.pos();
        boolean address64 = address64(in);
        Limits limits = limits(in);
        if (limits.shared()) throw in.error("tables cannot be shared (yet)", at);
        return new TableType(elemType, limits, address64);
    }

    static MemoryType memoryType(ByteReader in) {
        boolean address64 = address64(in);
        return new MemoryType(limits(in), address64);
    }

    /** Whether the limits that follow, whose flags byte is next, are those of 64-bit addresses. */
    private static boolean address64(ByteReader in) {
        return (in.peek() & LIMITS_ADDRESS64) != 0;
    }

    /**
     * Limits, whose flags byte has bit 0 for a maximum, bit 1 for shared (threads) and bit 2 for
     * 64-bit addresses (memory64), whose sizes are u64. The flags are one byte: a continuation bit
     * is a malformed flag (threads suite), and any other unknown bit makes the integer too large
     * (the core suite reads the flag as a 1-bit LEB128 number).
     */
    private static Limits limits(ByteReader in) {
        int at = in.pos();
        int flags = in.u8();
        if ((flags & 0x80) != 0) throw in.error("malformed limits flag", at);
        if ((flags & ~(LIMITS_HAS_MAX | LIMITS_SHARED | LIMITS_ADDRESS64)) != 0) throw in.error("integer too large", at);
        boolean wide = (flags & LIMITS_ADDRESS64) != 0;
        long min = size(in, wide);
        long max = (flags & LIMITS_HAS_MAX) != 0 ? size(in, wide) : -1;
        return new Limits(min, max, (flags & LIMITS_SHARED) != 0);
    }

    /**
     * A size of limits: u32, or u64 for 64-bit addresses. A u64 of 2^63 and above, which no memory
     * or table can reach, becomes {@link Long#MAX_VALUE} so that it stays out of range when validated.
     */
    private static long size(ByteReader in, boolean wide) {
        if (!wide) return Integer.toUnsignedLong(in.u32());
        long size = in.u64();
        return size < 0 ? Long.MAX_VALUE : size;
    }

    static GlobalType globalType(ByteReader in) {
        ValType t = valType(in);
        int at = in.pos();
        return switch (in.u8()) {
            case 0x00 -> new GlobalType(t, false);
            case 0x01 -> new GlobalType(t, true);
            default -> throw in.error("malformed mutability", at);
        };
    }
}
