package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.CompileProgress;
import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and compiles the module a command names, turning what can go wrong into user errors. */
final class ModuleFile {
    private ModuleFile() {}

    static CompiledModule compile(Path path, CompileProgress progress) {
        return compile(path, read(path), progress);
    }

    /** Compiles {@code wasm}, read from {@code path}. */
    static CompiledModule compile(Path path, byte[] wasm, CompileProgress progress) {
        try {
            return WasmCompiler.compile(wasm, WasmCompiler.DEFAULT_CLASS_NAME, null, progress);
        } catch (CompileException e) {
            throw new UserError(path + ": " + e.getMessage());
        }
    }

    /** The program name the module runs under: its file name, as a shell would pass it. */
    static String programName(Path path) {
        return path.getFileName().toString();
    }

    static byte[] read(Path path) {
        try {
            if (Files.isDirectory(path)) throw new UserError(path + ": is a directory");
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new UserError(path + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UserError(path + ": permission denied");
        } catch (IOException e) {
            throw new UserError(path + ": cannot read: " + e.getMessage());
        }
    }
}
