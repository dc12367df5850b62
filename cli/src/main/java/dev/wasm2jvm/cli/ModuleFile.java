package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.CompileProgress;
import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.ValidatedModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.command.StartClasses;
import dev.wasm2jvm.runtime.wasi.WasiPreview1;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;

/** Reads and compiles the module a command names, turning what can go wrong into user errors. */
final class ModuleFile {
    private static final Set<String> WASI_MODULES = Set.of(WasiPreview1.MODULE, WasiPreview1.SNAPSHOT_0_MODULE);
    /** The tag of a class file's constant pool entry that names a class ({@code CONSTANT_Class}). */
    private static final int CONSTANT_CLASS = 7;

    private ModuleFile() {}

    static CompiledModule compile(Path path, CompileProgress progress) {
        return compile(path, read(path), progress);
    }

    /** Compiles {@code wasm}, read from {@code path}. */
    static CompiledModule compile(Path path, byte[] wasm, CompileProgress progress) {
        return compile(path, validate(path, wasm), progress);
    }

    /** Decodes and validates {@code wasm}, read from {@code path}. */
    static ValidatedModule validate(Path path, byte[] wasm) {
        try {
            return WasmCompiler.validate(wasm);
        } catch (CompileException e) {
            throw new UserError(path + ": " + e.getMessage());
        }
    }

    /** Compiles {@code module}, read from {@code path}. */
    static CompiledModule compile(Path path, ValidatedModule module, CompileProgress progress) {
        try {
            return WasmCompiler.compile(module, WasmCompiler.DEFAULT_CLASS_NAME, null, progress);
        } catch (CompileException e) {
            throw new UserError(path + ": " + e.getMessage());
        }
    }

    /**
     * The imports of {@code module} that a WASI command's host cannot supply, as {@code module.name}:
     * all but WASI's functions (preview1, snapshot 0 and wasi-threads' {@code wasi.thread-spawn},
     * which {@link dev.wasm2jvm.runtime.threads.WasiThreads} adds) and memories, which the host creates.
     */
    static List<String> nonWasiImports(ValidatedModule module) {
        List<String> missing = new ArrayList<>();
        for (ValidatedModule.ImportDescriptor i : module.imports()) {
            if (i.kind().equals("memory")) continue;
            boolean wasi = i.kind().equals("function") && (WASI_MODULES.contains(i.module())
                    || i.module().equals("wasi") && i.name().equals("thread-spawn"));
            if (!wasi) missing.add(i.module() + "." + i.name());
        }
        return missing;
    }

    /**
     * The runtime's classes that a start of {@code module}'s command, compiled as {@code compiled},
     * defines from its jar's resource ({@link StartClasses#RESOURCE}), in order:
     * {@link StartClasses#RUNTIME}; with {@code preopens} (directories given),
     * {@link StartClasses#PREOPENS}, and {@link StartClasses#FILES} if it imports {@code path_open};
     * the groups its WASI imports call for; {@link StartClasses#LAZY_MEMORY} if it defines a memory
     * that {@code Memory} makes of them; and the {@link StartClasses#HELPERS} its classes name.
     */
    static List<String> startClasses(ValidatedModule module, CompiledModule compiled, boolean preopens) {
        List<String> wasiFunctions = new ArrayList<>();
        for (ValidatedModule.ImportDescriptor i : module.imports()) {
            if (i.kind().equals("function") && WASI_MODULES.contains(i.module())) wasiFunctions.add(i.name());
        }
        List<String> names = new ArrayList<>(StartClasses.RUNTIME);
        if (preopens) names.addAll(StartClasses.PREOPENS);
        if (preopens && wasiFunctions.contains("path_open")) names.addAll(StartClasses.FILES);
        names.addAll(StartClasses.forImports(wasiFunctions));
        for (ValidatedModule.MemoryDescriptor memory : module.memories()) {
            if (StartClasses.lazyMemory(memory.initial(), memory.shared())) {
                names.addAll(StartClasses.LAZY_MEMORY);
                break;
            }
        }
        for (String helper : StartClasses.HELPERS) {
            if (names(compiled, helper)) names.add(helper);
        }
        return names;
    }

    /** Whether a class file of {@code module} names the class {@code binaryName} (a constant pool's class entry). */
    static boolean names(CompiledModule module, String binaryName) {
        String internalName = binaryName.replace('.', '/');
        for (byte[] classFile : module.classFiles().values()) {
            ClassReader reader = new ClassReader(classFile);
            char[] buffer = new char[reader.getMaxStringLength()];
            for (int i = 1; i < reader.getItemCount(); i++) {
                int offset = reader.getItem(i);
                // getItem gives the offset after the entry's tag; 0 for the second slot of a long or double.
                if (offset > 0 && classFile[offset - 1] == CONSTANT_CLASS && internalName.equals(reader.readUTF8(offset, buffer))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The module at {@code path} in the binary format: a text module ({@code .wat}) is converted. */
    static byte[] read(Path path) {
        try {
            if (Files.isDirectory(path)) throw new UserError(path + ": is a directory");
            return WasmCompiler.binary(Files.readAllBytes(path));
        } catch (CompileException e) {
            throw new UserError(path + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw new UserError(path + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UserError(path + ": permission denied");
        } catch (IOException e) {
            throw new UserError(path + ": cannot read: " + e.getMessage());
        }
    }
}
