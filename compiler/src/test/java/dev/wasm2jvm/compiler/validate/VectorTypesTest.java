package dev.wasm2jvm.compiler.validate;

import dev.wasm2jvm.compiler.code.MemoryAccesses;
import dev.wasm2jvm.compiler.code.SimdOpcodes;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every SIMD instruction has exactly one typing rule, so none can slip through unchecked. */
class VectorTypesTest {

    @Test
    void everySimdOpcodeIsTypedOnce() throws IllegalAccessException {
        List<String> problems = new ArrayList<>();
        int opcodes = 0;
        for (Field field : SimdOpcodes.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || field.getType() != int.class) continue;
            int opcode = field.getInt(null);
            opcodes++;
            // v128.const and i8x16.shuffle have their own visitor methods and fixed types.
            if (opcode == SimdOpcodes.V128_CONST || opcode == SimdOpcodes.I8X16_SHUFFLE) continue;
            int rules = (VectorTypes.of(opcode) != null ? 1 : 0) + (VectorTypes.lane(opcode) != null ? 1 : 0)
                    + (MemoryAccesses.of(opcode) != null ? 1 : 0);
            if (rules != 1) problems.add(field.getName() + " has " + rules + " typing rules");
        }
        assertEquals(List.of(), problems);
        assertEquals(236, opcodes, "Wasm 2.0 has 236 SIMD instructions");
    }
}
