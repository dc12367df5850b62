package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.CompileProgress;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Planning functions on several threads: the same classes as on one, progress told on the calling thread. */
class ModuleEmitterTest {
    private static WasmModule largeModule() {
        WasmModule module = ModuleValidator.validate(ModuleDecoder.decode(WasmCompiler.binary(LargeModule.build())));
        return module;
    }

    @Test
    void plansOnThreadsGiveTheClassesOfOneThread() {
        WasmModule module = largeModule();
        Map<String, byte[]> one = ModuleEmitter.emit(module, "large.Module", null, CompileProgress.NONE, 1);
        Map<String, byte[]> four = ModuleEmitter.emit(module, "large.Module", null, CompileProgress.NONE, 4);
        // The module's sum function is split and its code spread over code classes: both depend on the plans.
        assertTrue(one.keySet().stream().anyMatch(name -> name.contains("$Code")), one.keySet().toString());
        assertEquals(one.keySet(), four.keySet());
        for (Map.Entry<String, byte[]> e : one.entrySet()) assertArrayEquals(e.getValue(), four.get(e.getKey()), e.getKey());
    }

    @Test
    void progressIsToldOnTheCallingThreadInOrder() {
        WasmModule module = largeModule();
        Thread caller = Thread.currentThread();
        List<Integer> done = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int[] total = new int[1];
        ModuleEmitter.emit(module, "large.Module", null, (d, t) -> {
            done.add(d);
            threads.add(Thread.currentThread());
            total[0] = t;
        }, 3);
        int defined = module.functionCount() - module.importCount(ExternKind.FUNC);
        assertEquals(2 * defined, total[0]);
        assertTrue(threads.stream().allMatch(t -> t == caller));
        for (int i = 1; i < done.size(); i++) assertTrue(done.get(i) >= done.get(i - 1), "progress went back at " + i);
        assertTrue(done.contains(defined), "planning's end is told");
        assertEquals(2 * defined, done.getLast());
    }
}
