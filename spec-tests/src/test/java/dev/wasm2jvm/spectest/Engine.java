package dev.wasm2jvm.spectest;

import dev.wasm2jvm.compiler.CompileProgress;
import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;

/**
 * What runs the modules: wasm2jvm itself, or a stand-in with known behaviour when the harness's own
 * logic is under test. Compiling and instantiating are separate because assertions tell them apart.
 */
@FunctionalInterface
interface Engine {
    /**
     * wasm2jvm, each compiled module's classes checked by {@link GeneratedClassCheck} before use. A
     * function whose stack map frames the emitters could not give fails the compilation, as it did
     * before the compiler fell back to ASM's frames: the suites are here to find such defects.
     */
    Engine WASM2JVM = wasm -> {
        CompiledModule module = WasmCompiler.compile(wasm, WasmCompiler.DEFAULT_CLASS_NAME, null, new CompileProgress() {
            @Override
            public void advanced(int done, int total) { }

            @Override
            public void framesComputed(int funcidx, String reason) {
                throw new IllegalStateException("the emitters could not give the frames of function " + funcidx + ": " + reason);
            }
        });
        GeneratedClassCheck.verify(module);
        return module::instantiate;
    };

    Compiled compile(byte[] wasm);

    @FunctionalInterface
    interface Compiled {
        Instance instantiate(Imports imports);
    }
}
