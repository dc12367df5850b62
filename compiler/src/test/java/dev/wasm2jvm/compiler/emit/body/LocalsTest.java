package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.module.ValType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which value array holds each type's values. */
class LocalsTest {

    @Test
    void aNumberHasTheArrayOfItsTypeAndEveryOtherValueTheReferences() {
        for (ValType t : ValType.values()) {
            assertEquals(t.isNum() ? t : ValType.EXTERNREF, Locals.KINDS.get(Locals.kind(t)), t.name());
        }
    }
}
