package dev.wasm2jvm.compiler.emit.instance;

import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.runtime.internal.WasiSnapshotPreview1;
import dev.wasm2jvm.runtime.internal.WasiThreadSpawn;
import dev.wasm2jvm.runtime.internal.WasiUnstable;
import dev.wasm2jvm.runtime.wasi.WasiPreview1;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.Type;

/**
 * The imports that the runtime's own hosts implement, which an import trampoline calls as Java
 * methods ({@code FuncRef#builtin}): the functions of WASI preview 1 and snapshot 0, and
 * wasi-threads' {@code thread-spawn}. Derived from the runtime's interfaces, as {@link RuntimeRefs}
 * is from its classes.
 *
 * <p>Which interface serves an import is the runtime's choice ({@code WasiPreview1} binds snapshot
 * 0's functions that keep preview 1's ABI to preview 1's own); this table only predicts it, so that
 * the trampoline's check usually passes. It never decides what is called: the trampoline calls the
 * method only after checking that the bound function is that very method of an object implementing
 * the interface, which is exactly what the function's handle would call.
 */
final class BuiltinImports {
    private BuiltinImports() {}

    /** Method {@code name} of interface {@code api} (an internal name), of descriptor {@code descriptor}. */
    record Builtin(String api, String name, String descriptor) {}

    /** Import module, then import name, to the method that implements it. */
    private static final Map<String, Map<String, Builtin>> BUILTINS = new HashMap<>();

    static {
        Map<String, Builtin> preview1 = methods(WasiSnapshotPreview1.class);
        BUILTINS.put(WasiPreview1.MODULE, preview1);
        Map<String, Builtin> snapshot0 = new HashMap<>(preview1);
        // Snapshot 0 has no sock_accept, and the runtime binds none under its name.
        snapshot0.remove("sock_accept");
        snapshot0.putAll(methods(WasiUnstable.class));
        BUILTINS.put(WasiPreview1.SNAPSHOT_0_MODULE, snapshot0);
        Map<String, Builtin> threads = new HashMap<>();
        threads.put("thread-spawn", methods(WasiThreadSpawn.class).get("thread_spawn"));
        BUILTINS.put("wasi", threads);
    }

    private static Map<String, Builtin> methods(Class<?> api) {
        Map<String, Builtin> methods = new HashMap<>();
        for (Method m : api.getDeclaredMethods()) {
            methods.put(m.getName(), new Builtin(Type.getInternalName(api), m.getName(), Type.getMethodDescriptor(m)));
        }
        return methods;
    }

    /**
     * The method that the runtime's host would bind to import {@code module} / {@code name} of type
     * {@code type}, or null when no host of the runtime implements it with that type.
     */
    static Builtin of(String module, String name, FuncType type) {
        Map<String, Builtin> functions = BUILTINS.get(module);
        Builtin builtin = functions == null ? null : functions.get(name);
        if (builtin == null || !builtin.descriptor.equals(JvmType.handleDescriptor(type))) return null;
        return builtin;
    }
}
