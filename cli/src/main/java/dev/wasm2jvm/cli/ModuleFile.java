package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.CompileProgress;
import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.ValidatedModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.wasi.WasiPreview1;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads and compiles the module a command names, turning what can go wrong into user errors. */
final class ModuleFile {
    private static final Set<String> WASI_MODULES = Set.of(WasiPreview1.MODULE, WasiPreview1.SNAPSHOT_0_MODULE);

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

    /** Whether {@code module} imports WASI's {@code path_open}: whether its program can open files. */
    static boolean opensFiles(ValidatedModule module) {
        for (ValidatedModule.ImportDescriptor i : module.imports()) {
            if (i.kind().equals("function") && WASI_MODULES.contains(i.module()) && i.name().equals("path_open")) return true;
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
