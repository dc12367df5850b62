package dev.wasm2jvm.compiler.code;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relaxed SIMD instructions' deterministic behaviour, as the instructions the emitter lowers them as. */
class SimdOpcodesTest {
    private static final int FIRST_RELAXED = SimdOpcodes.I8X16_RELAXED_SWIZZLE;
    private static final int LAST_RELAXED = SimdOpcodes.I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S;

    /**
     * A relaxed instruction is a Wasm 2.0 instruction of its own stack type, of the same name
     * without {@code relaxed_} (the truncations and q15 multiply saturating, laneselect a bitselect),
     * or itself where its behaviour is no single 2.0 instruction: exactly the multiply-adds and the
     * dot products.
     */
    @Test
    void eachRelaxedInstructionIsA20InstructionOfItsTypeOrItself() {
        List<String> own = List.of("f32x4.relaxed_madd", "f32x4.relaxed_nmadd", "f64x2.relaxed_madd",
                "f64x2.relaxed_nmadd", "i16x8.relaxed_dot_i8x16_i7x16_s", "i32x4.relaxed_dot_i8x16_i7x16_add_s");
        for (int opcode = FIRST_RELAXED; opcode <= LAST_RELAXED; opcode++) {
            Instruction relaxed = Instructions.of(opcode);
            Instruction strict = Instructions.of(SimdOpcodes.deterministic(opcode));
            if (own.contains(relaxed.name())) {
                assertEquals(relaxed, strict, relaxed.name());
                continue;
            }
            assertTrue(strict.opcode() < FIRST_RELAXED, relaxed.name() + " is " + strict.name());
            assertEquals(relaxed.type(), strict.type(), relaxed.name());
            String expected = relaxed.name().replace("relaxed_", "")
                    .replace("trunc_", "trunc_sat_").replace("q15mulr_s", "q15mulr_sat_s")
                    .replaceFirst("^i\\d+x\\d+\\.laneselect$", "v128.bitselect");
            assertEquals(expected, strict.name(), relaxed.name());
        }
    }

    @Test
    void otherInstructionsAreThemselves() {
        for (Instruction insn : Instructions.all()) {
            if (insn.opcode() < FIRST_RELAXED || insn.opcode() > LAST_RELAXED) {
                assertEquals(insn.opcode(), SimdOpcodes.deterministic(insn.opcode()), insn.name());
            }
        }
    }
}
