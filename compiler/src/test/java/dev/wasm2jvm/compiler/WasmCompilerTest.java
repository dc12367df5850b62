package dev.wasm2jvm.compiler;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * How {@link WasmCompiler#validate} orders what it finds: the decoder leaves function bodies to
 * validation, and a malformed module is malformed however invalid it is, as the spec decodes before
 * it validates.
 */
class WasmCompilerTest {
    private static final String HEADER = "0061736d01000000";
    /** Type 0 = [] -> []. */
    private static final String TYPES = "010401600000";
    /** The offset of the first body's code in {@link #module}: its entry's size and locals come before. */
    private static final int FIRST_BODY = HEADER.length() / 2 + TYPES.length() / 2 + 5 + 2 + 1 + 2;
    /** The offset of the second body's code, after a first body of two bytes. */
    private static final int SECOND_BODY = FIRST_BODY + 2 + 2;

    /** A module of two functions of type {@code typeidx}, with these bodies (code only, a few bytes each). */
    private static byte[] module(int typeidx, String body0, String body1) {
        String entries = "02" + entry(body0) + entry(body1);
        return HexFormat.of().parseHex(HEADER + TYPES + "030302" + hex(typeidx) + hex(typeidx)
                + "0a" + hex(entries.length() / 2) + entries);
    }

    private static String entry(String code) {
        return hex(code.length() / 2 + 1) + "00" + code;
    }

    private static String hex(int b) {
        return String.format("%02x", b);
    }

    private static CompileException rejection(byte[] module) {
        return assertThrows(CompileException.class, () -> WasmCompiler.validate(module));
    }

    /** Asserts that {@code module} is rejected as malformed, as the decoder reports it: without a function. */
    private static void assertMalformed(String specMessage, int offset, byte[] module) {
        CompileException e = rejection(module);
        assertEquals(CompileException.Kind.MALFORMED, e.kind());
        assertEquals(specMessage, e.specMessage());
        assertEquals(offset, e.offset());
        assertEquals(-1, e.funcidx());
    }

    @Test
    void anInvalidBodyIsReportedWithItsFunctionAndOffset() {
        // i32.add; end: no operands
        CompileException e = rejection(module(0, "6a0b", "010b"));
        assertEquals(CompileException.Kind.INVALID, e.kind());
        assertEquals("type mismatch", e.specMessage());
        assertEquals(FIRST_BODY, e.offset());
        assertEquals(0, e.funcidx());
    }

    @Test
    void aMalformedBodyIsReportedWhereItBreaks() {
        // nop; 0x27, no opcode
        assertMalformed("illegal opcode", SECOND_BODY + 1, module(0, "010b", "01270b"));
    }

    @Test
    void aMalformedBodyAfterAnInvalidOneMakesTheModuleMalformed() {
        assertMalformed("illegal opcode", SECOND_BODY + 1, module(0, "6a0b", "01270b"));
    }

    @Test
    void theRestOfTheInvalidBodyIsReadToo() {
        // i32.add (invalid); 0x27 (malformed)
        assertMalformed("illegal opcode", FIRST_BODY + 1, module(0, "6a270b", "010b"));
    }

    @Test
    void aMalformedBodyOutranksAnInvalidModuleOutsideTheBodies() {
        // both functions of type 1, which does not exist: validation fails before the bodies
        assertEquals("unknown type 1", rejection(module(1, "010b", "010b")).specMessage());
        assertMalformed("illegal opcode", SECOND_BODY + 1, module(1, "010b", "01270b"));
    }

    @Test
    void aDataSegmentWithoutTheDataCountSectionOutranksAnInvalidBody() {
        // data.drop 0 without a data count section, after an invalid body
        assertMalformed("data count section required", SECOND_BODY + 1, module(0, "6a0b", "01fc09000b"));
    }
}
