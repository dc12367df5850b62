package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ModuleBuilderTest {
    @Test
    void builtModuleRuns() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(ValType.I32, ValType.I32), List.of(ValType.I32));
        int add = b.function(type, List.of(ValType.I32), new ModuleBuilder.Code()
                .localGet(0).localGet(1).op(0x6A).localTee(2).localGet(2).op(0x6A));
        b.exportFunction("addTwice", add);
        b.memory(1);
        b.table(add);
        Instance instance = TestModules.instantiate(b.build());
        assertArrayEquals(new Object[] {18}, instance.function("addTwice").call(4, 5));
    }
}
