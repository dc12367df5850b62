package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.TestModules;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.V128;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which value array holds each type's values, and what the locals in those arrays start as. */
class LocalsTest {
    private static final int REF_IS_NULL = 0xD1;

    @Test
    void aNumberHasTheArrayOfItsTypeAndEveryOtherValueTheReferences() {
        for (ValType t : ValType.values()) {
            assertEquals(t.isNum() ? t : ValType.EXTERNREF, Locals.KINDS.get(Locals.kind(t)), t.name());
        }
    }

    /**
     * Past the locals that have slots, a v128 local lives in the reference array beside reference
     * locals: it starts as zero, not as the array's {@code null}, and the references stay null.
     */
    @Test
    void aV128LocalInTheReferenceArrayStartsAsZero() {
        int slotted = Locals.LOCAL_SLOTS / 4;
        List<ValType> locals = new ArrayList<>(Collections.nCopies(slotted + 3, ValType.V128));
        int funcref = locals.size();
        locals.add(ValType.FUNCREF);
        locals.addAll(Collections.nCopies(2, ValType.V128));
        int last = locals.size() - 1;
        ModuleBuilder b = new ModuleBuilder();
        int vector = b.type(List.of(), List.of(ValType.V128));
        int flag = b.type(List.of(), List.of(ValType.I32));
        b.exportFunction("first", b.function(vector, locals, new ModuleBuilder.Code().localGet(slotted)));
        b.exportFunction("last", b.function(vector, locals, new ModuleBuilder.Code().localGet(last)));
        b.exportFunction("funcrefIsNull", b.function(flag, locals,
                new ModuleBuilder.Code().localGet(funcref).op(REF_IS_NULL)));
        Instance instance = TestModules.instantiate(b.build());

        assertArrayEquals(new Object[] {new V128(0, 0)}, instance.function("first").call());
        assertArrayEquals(new Object[] {new V128(0, 0)}, instance.function("last").call());
        assertArrayEquals(new Object[] {1}, instance.function("funcrefIsNull").call());
    }
}
