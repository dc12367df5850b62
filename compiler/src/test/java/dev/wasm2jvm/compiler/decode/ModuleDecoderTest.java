package dev.wasm2jvm.compiler.decode;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.module.ConstExpr;
import dev.wasm2jvm.compiler.module.ElemSegment;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.Limits;
import dev.wasm2jvm.compiler.module.Names;
import dev.wasm2jvm.compiler.module.SegmentMode;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the decoder builds from hand-assembled modules, and the name section's lenient parse. */
class ModuleDecoderTest {
    private static final String HEADER = "0061736d01000000";
    /** Type 0 = [] -> [], one function of it. */
    private static final String ONE_FUNC = "010401600000" + "03020100";

    private static WasmModule decode(String hex) {
        return ModuleDecoder.decode(HexFormat.of().parseHex(HEADER + hex));
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void namesSectionGivesModuleFunctionAndLocalNames() {
        // custom "name": module "m"; function 0 "f"; function 0, local 1 "x"
        String content = "00" + "02" + "016d"
                + "01" + "04" + "01" + "00" + "0166"
                + "02" + "06" + "01" + "00" + "01" + "01" + "0178";
        String custom = "04" + "6e616d65" + content;
        WasmModule m = decode(ONE_FUNC + "0a040102000b" + "00" + String.format("%02x", custom.length() / 2) + custom);
        Names names = m.names();
        assertEquals("m", names.module());
        assertEquals(Map.of(0, "f"), names.functions());
        assertEquals(Map.of(0, Map.of(1, "x")), names.locals());
        assertEquals(List.of(), m.customs());
    }

    @Test
    void malformedNameSectionIsIgnored() {
        // subsection 1 claims 9 bytes but the section ends after 2
        String custom = "04" + "6e616d65" + "01090100";
        WasmModule m = decode("00" + String.format("%02x", custom.length() / 2) + custom);
        assertEquals(Names.NONE, m.names());
    }

    @Test
    void customSectionNameMustBeWellFormed() {
        CompileException e = assertThrows(CompileException.class, () -> decode("000302" + "c080"));
        assertEquals("malformed UTF-8 encoding", e.specMessage());
    }

    @Test
    void otherCustomSectionsAreKept() {
        WasmModule m = decode("0004" + "0178" + "abcd");
        assertEquals(1, m.customs().size());
        assertEquals("x", m.customs().get(0).name());
        assertArrayEquals(hex("abcd"), m.customs().get(0).content());
        assertEquals(12, m.customs().get(0).offset());
    }

    @Test
    void funcidxVectorsBecomeRefFuncExpressionsAtTheirIndices() {
        // table; elem flags 0: offset (i32.const 0), funcidx [0]; code
        WasmModule m = decode(ONE_FUNC + "0404017000" + "01" + "090701" + "00" + "41000b" + "0100"
                + "0a040102000b");
        ElemSegment seg = m.elements().get(0);
        assertEquals(SegmentMode.ACTIVE, seg.mode());
        assertEquals(ValType.FUNCREF, seg.type());
        assertArrayEquals(hex("41000b"), seg.offset().code());
        ConstExpr init = seg.init().get(0);
        assertArrayEquals(hex("d2000b"), init.code());
        assertEquals(HEADER.length() / 2 + ONE_FUNC.length() / 2 + 6 + 3 + 1 + 3 + 1, init.offset());
    }

    @Test
    void expressionSegmentsKeepTheirType() {
        // elem flags 7 (declarative), funcref, [ref.null func]
        WasmModule m = decode("090701" + "07" + "70" + "01" + "d070" + "0b");
        ElemSegment seg = m.elements().get(0);
        assertEquals(SegmentMode.DECLARATIVE, seg.mode());
        assertArrayEquals(hex("d0700b"), seg.init().get(0).code());
    }

    @Test
    void localsAreExpandedAndTheBodyKept() {
        // locals: 2 x i32, 1 x f64; body: nop end
        WasmModule m = decode(ONE_FUNC + "0a09" + "01" + "07" + "02027f017c" + "010b");
        FunctionBody body = m.codes().get(0);
        assertEquals(List.of(ValType.I32, ValType.I32, ValType.F64), body.locals());
        assertArrayEquals(hex("010b"), body.code());
        assertEquals(HEADER.length() / 2 + ONE_FUNC.length() / 2 + 4 + 5, body.offset());
    }

    @Test
    void sharedMemoryLimits() {
        WasmModule m = decode("0504" + "01" + "03" + "0102");
        assertEquals(new Limits(1, 2, true), m.memories().get(0).limits());
    }

    @Test
    void bodiesAreRecordedUnreadAndCheckedWhenAsked() {
        // body: atomic.fence with a non-zero reserved byte
        byte[] module = hex(HEADER + ONE_FUNC + "0a07" + "01" + "05" + "00" + "fe0301" + "0b");
        FunctionBody body = ModuleDecoder.decode(module).codes().get(0);
        assertArrayEquals(hex("fe03010b"), body.code());
        assertThrows(IllegalStateException.class, body::effects);
        CompileException e = assertThrows(CompileException.class, () -> ModuleDecoder.checkWellFormed(module));
        assertEquals(CompileException.Kind.MALFORMED, e.kind());
        assertEquals("zero byte expected", e.specMessage());
        assertEquals(HEADER.length() / 2 + ONE_FUNC.length() / 2 + 7, e.offset());
        assertEquals(-1, e.funcidx());
    }

    @Test
    void aMalformedBodyComesBeforeTheDecodersLaterErrors() {
        // two functions declared, one body given, and that one has an unknown opcode (0x27)
        String twoFuncs = "010401600000" + "0303020000";
        CompileException e = assertThrows(CompileException.class,
                () -> decode(twoFuncs + "0a05" + "01" + "03" + "00" + "27" + "0b"));
        assertEquals("illegal opcode", e.specMessage());
        assertEquals(HEADER.length() / 2 + twoFuncs.length() / 2 + 5, e.offset());
        // well-formed, the body leaves the error to the decoder's check of the counts
        e = assertThrows(CompileException.class, () -> decode(twoFuncs + "0a05" + "01" + "03" + "00" + "01" + "0b"));
        assertEquals("function and code section have inconsistent lengths", e.specMessage());
    }

    @Test
    void aBodyRunningPastItsEntryIsFollowedThroughTheModule() {
        // body: i32.const 11 (41 0b) and no end of its own; the next byte, the data section's id
        // (0b), reads as the end, so the body ends a byte past its size
        byte[] module = hex(HEADER + ONE_FUNC + "0a05" + "01" + "03" + "00" + "410b" + "0b0100");
        ModuleDecoder.decode(module);
        CompileException e = assertThrows(CompileException.class, () -> ModuleDecoder.checkWellFormed(module));
        assertEquals("section size mismatch", e.specMessage());
        assertEquals(HEADER.length() / 2 + ONE_FUNC.length() / 2 + 4, e.offset());
    }

    @Test
    void dataDropNeedsADataCountSection() {
        byte[] module = hex(HEADER + ONE_FUNC + "0a07" + "01" + "05" + "00" + "fc0900" + "0b");
        ModuleDecoder.decode(module);
        CompileException e = assertThrows(CompileException.class, () -> ModuleDecoder.checkWellFormed(module));
        assertEquals("data count section required", e.specMessage());
        assertEquals(HEADER.length() / 2 + ONE_FUNC.length() / 2 + 5, e.offset());
    }

    @Test
    void tooManyLocalsForTheJvmIsUnsupported() {
        CompileException e = assertThrows(CompileException.class,
                () -> decode(ONE_FUNC + "0a09" + "01" + "07" + "01" + "8080807f" + "7f0b"));
        assertEquals(CompileException.Kind.UNSUPPORTED, e.kind());
        assertEquals(0, e.funcidx());
    }
}
