package dev.wasm2jvm.compiler;

import dev.wasm2jvm.compiler.module.Import;
import dev.wasm2jvm.compiler.module.MemoryType;
import dev.wasm2jvm.compiler.module.WasmModule;

import java.util.ArrayList;
import java.util.List;

/**
 * A module decoded and validated by {@link WasmCompiler#validate}: what a tool that compiles a module
 * and renders its API's source hands to each, so that the module is decoded and validated once; what
 * it imports, so that a tool can refuse a module it cannot supply before spending a compilation on
 * it; and the memories it defines, from which a tool writing a command's jar tells which of the
 * runtime's classes its start loads.
 */
public final class ValidatedModule {
    /** Valid: every compiler stage after validation takes it as it is. */
    final WasmModule module;

    ValidatedModule(WasmModule module) {
        this.module = module;
    }

    /**
     * An import of the module, as the WebAssembly JavaScript API's {@code WebAssembly.Module.imports}
     * describes it ({@code ModuleImportDescriptor}).
     *
     * @param module the import's module name
     * @param name   the import's name
     * @param kind   what it imports: {@code "function"}, {@code "table"}, {@code "memory"},
     *               {@code "global"} or {@code "tag"}
     */
    public record ImportDescriptor(String module, String name, String kind) {}

    /** The module's imports, in the order of its import section. */
    public List<ImportDescriptor> imports() {
        List<ImportDescriptor> imports = new ArrayList<>(module.imports().size());
        for (Import i : module.imports()) imports.add(new ImportDescriptor(i.module(), i.name(), kind(i)));
        return List.copyOf(imports);
    }

    /**
     * A memory the module defines, as the WebAssembly JavaScript API's {@code WebAssembly.Memory}
     * descriptor ({@code MemoryDescriptor}) gives it.
     *
     * @param initial its size in 64 KiB pages when the module is instantiated
     * @param maximum its declared maximum in pages, or {@code -1} when it declares none
     * @param shared  whether it is shared between threads (threads proposal)
     */
    public record MemoryDescriptor(long initial, long maximum, boolean shared) {}

    /** The memories the module defines (not those it imports), in the order of its memory section. */
    public List<MemoryDescriptor> memories() {
        List<MemoryDescriptor> memories = new ArrayList<>(module.memories().size());
        for (MemoryType m : module.memories()) {
            memories.add(new MemoryDescriptor(m.limits().min(), m.limits().max(), m.limits().shared()));
        }
        return List.copyOf(memories);
    }

    private static String kind(Import i) {
        return switch (i.kind()) {
            case FUNC -> "function";
            case TABLE -> "table";
            case MEMORY -> "memory";
            case GLOBAL -> "global";
            case TAG -> "tag";
        };
    }
}
