package dev.wasm2jvm.compiler.decode;

import dev.wasm2jvm.compiler.binary.ByteReader;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.ConstExpr;
import dev.wasm2jvm.compiler.module.DataSegment;
import dev.wasm2jvm.compiler.module.ElemSegment;
import dev.wasm2jvm.compiler.module.SegmentMode;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads constant expressions and the element and data segments built from them. */
final class SegmentReader {
    /** Element segment flags: bit 0 passive or declarative, bit 1 explicit table or declarative, bit 2 expressions. */
    private static final int ELEM_NOT_ACTIVE = 0x01;
    private static final int ELEM_EXPLICIT = 0x02;
    private static final int ELEM_EXPRESSIONS = 0x04;

    private final byte[] module;
    private final ByteReader in;

    SegmentReader(byte[] module, ByteReader in) {
        this.module = module;
        this.in = in;
    }

    /** A constant expression up to and including its {@code end}. */
    ConstExpr constExpr() {
        int start = in.pos();
        // The reader checks the encoding; what the expression may contain is the validator's concern.
        int end = CodeReader.readExpression(module, start, new DataIndexUse());
        in.skip(end - start);
        return new ConstExpr(Arrays.copyOfRange(module, start, end), start);
    }

    ElemSegment elem() {
        int at = in.pos();
        int flags = in.u32();
        if (Integer.compareUnsigned(flags, 7) > 0) throw in.error("malformed elements segment kind", at);
        SegmentMode mode = (flags & ELEM_NOT_ACTIVE) == 0 ? SegmentMode.ACTIVE
                : (flags & ELEM_EXPLICIT) == 0 ? SegmentMode.PASSIVE : SegmentMode.DECLARATIVE;
        boolean explicit = mode == SegmentMode.ACTIVE && (flags & ELEM_EXPLICIT) != 0;
        int tableidx = explicit ? in.index() : 0;
        ConstExpr offset = mode == SegmentMode.ACTIVE ? constExpr() : null;
        boolean expressions = (flags & ELEM_EXPRESSIONS) != 0;
        // Flags 0 and 4 imply funcref; the others state the type (an elemkind or a reftype).
        ValType type = flags == 0 || flags == ELEM_EXPRESSIONS ? ValType.FUNCREF
                : expressions ? TypeReader.refType(in) : elemKind();
        int n = in.length();
        List<ConstExpr> init = new ArrayList<>(n);
        for (int i = 0; i < n; i++) init.add(expressions ? constExpr() : refFunc());
        return new ElemSegment(mode, tableidx, offset, type, init);
    }

    private ValType elemKind() {
        int at = in.pos();
        if (in.u8() != 0x00) throw in.error("malformed element kind", at);
        return ValType.FUNCREF;
    }

    /** A funcidx of a vector-encoded segment, as the equivalent {@code ref.func x; end}, placed at the funcidx. */
    private ConstExpr refFunc() {
        int start = in.pos();
        in.index();
        int end = in.pos();
        byte[] code = new byte[end - start + 2];
        code[0] = (byte) Opcodes.REF_FUNC;
        System.arraycopy(module, start, code, 1, end - start);
        code[code.length - 1] = (byte) Opcodes.END;
        return new ConstExpr(code, start);
    }

    DataSegment data() {
        int at = in.pos();
        int flags = in.u32();
        return switch (flags) {
            case 0 -> {
                ConstExpr offset = constExpr();
                yield new DataSegment(SegmentMode.ACTIVE, 0, offset, bytes());
            }
            case 1 -> new DataSegment(SegmentMode.PASSIVE, 0, null, bytes());
            case 2 -> {
                int memidx = in.index();
                ConstExpr offset = constExpr();
                yield new DataSegment(SegmentMode.ACTIVE, memidx, offset, bytes());
            }
            default -> throw in.error("malformed data segment kind", at);
        };
    }

    private byte[] bytes() {
        return in.bytes(in.length());
    }
}
