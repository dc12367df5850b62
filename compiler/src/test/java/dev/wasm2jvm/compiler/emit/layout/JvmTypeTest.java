package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.compiler.module.ValType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The descriptors of value types, which are constants rather than built by ASM's {@code Type} at each use. */
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
}
