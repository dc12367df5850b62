package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.internal.BoxedArguments;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The descriptors and opcodes of value types, which are constants rather than built by ASM's
 * {@code Type} at each use, and which function types box their arguments.
 */
class JvmTypeTest {

    @Test
    void singleDescriptorsAreThoseOfTheJavaTypes() {
        for (ValType t : ValType.values()) {
            assertEquals(JvmType.of(t).getDescriptor(), JvmType.singleDescriptor(t), t.name());
        }
    }

    @Test
    void aV128ParameterIsTwoLongs() {
        assertEquals("JJ", JvmType.descriptor(ValType.V128));
        for (ValType t : ValType.values()) {
            if (t != ValType.V128) assertEquals(JvmType.singleDescriptor(t), JvmType.descriptor(t), t.name());
        }
    }

    @Test
    void opcodesAreThoseOfTheJavaTypes() {
        for (ValType t : ValType.values()) {
            for (int intOpcode : new int[] {Opcodes.ILOAD, Opcodes.ISTORE, Opcodes.IALOAD, Opcodes.IASTORE, Opcodes.IRETURN}) {
                assertEquals(JvmType.of(t).getOpcode(intOpcode), JvmType.opcode(t, intOpcode), t + " " + intOpcode);
            }
        }
    }

    /** Around {@code BoxedArguments.MAX_SLOTS}, from types short enough to be answered by their length and longer ones. */
    @Test
    void aTypeIsWideFromItsParametersSlots() {
        int max = BoxedArguments.MAX_SLOTS;
        assertFalse(JvmType.isWide(type(max, ValType.I32)));
        assertTrue(JvmType.isWide(type(max + 1, ValType.I32)));
        assertFalse(JvmType.isWide(type(max / 4, ValType.V128)));
        assertTrue(JvmType.isWide(type(max / 4 + 1, ValType.V128)));
        assertTrue(JvmType.isWide(type(max / 2 + 1, ValType.I64)));
        List<ValType> mixed = new ArrayList<>(Collections.nCopies(max / 4, ValType.V128));
        mixed.addAll(Collections.nCopies(max % 4, ValType.F32));
        assertFalse(JvmType.isWide(new FuncType(mixed, List.of())));
        mixed.add(ValType.I32);
        assertTrue(JvmType.isWide(new FuncType(mixed, List.of())));
    }

    private static FuncType type(int params, ValType t) {
        return new FuncType(Collections.nCopies(params, t), List.of(ValType.I32));
    }
}
