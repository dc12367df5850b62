package dev.wasm2jvm.compiler.code;

import dev.wasm2jvm.compiler.code.Instruction.AtomicOp;
import dev.wasm2jvm.compiler.code.Instruction.Immediates;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The instruction table against the opcode constants and the spec's typing rules. */
class InstructionsTest {
    /** Every opcode constant has one row, named as the constant is ({@code I32_ATOMIC_RMW8_ADD_U} is {@code i32.atomic.rmw8.add_u}). */
    @Test
    void everyOpcodeConstantHasOneRowOfItsName() throws IllegalAccessException {
        Map<Integer, String> constants = new HashMap<>();
        int simd = 0;
        for (Class<?> c : List.of(Opcodes.class, SimdOpcodes.class)) {
            for (Field f : c.getFields()) {
                if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class || f.getName().startsWith("PREFIX_")) continue;
                assertNull(constants.put(f.getInt(null), f.getName()), f.getName() + " repeats an opcode");
                if (c == SimdOpcodes.class) simd++;
            }
        }
        List<String> problems = new ArrayList<>();
        constants.forEach((opcode, constant) -> {
            Instruction insn = Instructions.of(opcode);
            if (insn == null) {
                problems.add(constant + " has no row");
            } else if (!insn.name().replace('.', '_').toUpperCase(Locale.ROOT).equals(constant)) {
                problems.add(constant + " is named " + insn.name());
            }
        });
        for (Instruction insn : Instructions.all()) {
            if (!constants.containsKey(insn.opcode())) problems.add(insn.name() + " has no constant");
        }
        assertEquals(List.of(), problems);
        assertEquals(256, simd, "Wasm 3.0 has 256 SIMD instructions: Wasm 2.0's 236 and 20 relaxed ones");
    }

    @Test
    void memoryAccessesHaveANaturalAlignmentAndLaneInstructionsALaneCount() {
        for (Instruction insn : Instructions.all()) {
            boolean memarg = insn.immediates() == Immediates.MEMARG || insn.immediates() == Immediates.MEMARG_AND_LANE;
            assertEquals(memarg, insn.naturalAlign() >= 0, insn::name);
            boolean lane = insn.immediates() == Immediates.LANE || insn.immediates() == Immediates.MEMARG_AND_LANE;
            assertEquals(lane, insn.lanes() > 0, insn::name);
            assertEquals(insn.name().contains("atomic"), insn.atomic() != null, insn::name);
        }
    }

    @Test
    void rowsCarryTheSpecsTypes() {
        assertEquals(type(List.of(ValType.I32, ValType.I32), List.of(ValType.I32)), Instructions.of(Opcodes.I32_ADD).type());
        assertEquals(type(List.of(ValType.F64), List.of(ValType.I64)), Instructions.of(Opcodes.I64_TRUNC_SAT_F64_U).type());
        assertEquals(type(List.of(ValType.V128, ValType.I32), List.of(ValType.V128)), Instructions.of(SimdOpcodes.I8X16_SHL).type());
        Instruction load = Instructions.of(Opcodes.I64_LOAD16_S);
        assertEquals(type(List.of(ValType.I32), List.of(ValType.I64)), load.type());
        assertEquals(2, load.width());
        Instruction rmw = Instructions.of(Opcodes.I64_ATOMIC_RMW32_CMPXCHG_U);
        assertEquals(AtomicOp.CMPXCHG, rmw.atomic());
        assertEquals(type(List.of(ValType.I32, ValType.I64, ValType.I64), List.of(ValType.I64)), rmw.type());
        assertEquals(4, rmw.width());
        assertEquals(type(List.of(ValType.V128, ValType.V128, ValType.V128), List.of(ValType.V128)),
                Instructions.of(SimdOpcodes.I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S).type());
        Instruction lane = Instructions.of(SimdOpcodes.V128_LOAD16_LANE);
        assertEquals(8, lane.lanes());
        assertEquals(1, lane.naturalAlign());
    }

    /** {@code t} is the type of what the index names, and the operand count does not depend on it. */
    @Test
    void indexedInstructionsAreTypedByWhatTheirIndexNames() {
        Instruction grow = Instructions.of(Opcodes.TABLE_GROW);
        assertEquals(type(List.of(ValType.EXTERNREF, ValType.I32), List.of(ValType.I32)), grow.type(ValType.EXTERNREF));
        assertEquals(2, grow.operands());
        assertEquals(type(List.of(ValType.F64), List.of(ValType.F64)), Instructions.of(Opcodes.LOCAL_TEE).type(ValType.F64));
        assertThrows(IllegalStateException.class, grow::type);
        assertThrows(IllegalStateException.class, () -> Instructions.of(Opcodes.BR_TABLE).type());
    }

    /** The operand and result counts of every typed instruction are its type's, for any {@code t}. */
    @Test
    void operandsAndResultsCountTheTypesParametersAndResults() {
        for (Instruction i : Instructions.all()) {
            if (i.signature() == null) continue;
            for (ValType t : ValType.values()) {
                assertEquals(i.type(t).params().size(), i.operands(), i.name());
                assertEquals(i.type(t).results().size(), i.results(), i.name());
            }
        }
    }

    private static FuncType type(List<ValType> params, List<ValType> results) {
        return new FuncType(params, results);
    }
}
