package dev.wasm2jvm.compiler;

import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleEmitter;
import dev.wasm2jvm.compiler.emit.facade.FacadeSource;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import dev.wasm2jvm.runtime.command.CommandSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Compiles WebAssembly modules to JVM classes. A module is given in the binary format ({@code .wasm})
 * or the text format ({@code .wat}); text is converted to binary first.
 *
 * <pre>{@code
 * CompiledModule compiled = WasmCompiler.compile(Files.readAllBytes(Path.of("add.wasm")));
 * Instance instance = compiled.instantiate(new Imports());
 * int sum = (int) instance.function("add").call(1, 2)[0];
 * }</pre>
 */
public final class WasmCompiler {
    /** The class name used when none is given. */
    public static final String DEFAULT_CLASS_NAME = "wasm.Module";

    private WasmCompiler() {}

    /** Compiles {@code wasm} into a class named {@value #DEFAULT_CLASS_NAME}. */
    public static CompiledModule compile(byte[] wasm) {
        return compile(wasm, DEFAULT_CLASS_NAME);
    }

    /**
     * Decodes, validates and compiles {@code wasm} into a class named {@code className} (a binary
     * name such as {@code com.example.Hello}) and its helpers.
     *
     * @throws CompileException if the module is malformed, invalid or uses an unsupported feature
     */
    public static CompiledModule compile(byte[] wasm, String className) {
        return compile(wasm, className, null);
    }

    /**
     * As {@link #compile(byte[], String)}; for a WASI command (a module exporting {@code _start}),
     * the generated class's {@code main} runs it with {@code command}: its program name as
     * {@code argv[0]}, its preopened directories and its environment variables (on top of the
     * inherited environment), which the run-time overrides of
     * {@link dev.wasm2jvm.runtime.command.CommandRunner#main(Class, CommandSettings, String[])} change.
     *
     * @param command the settings of {@code main}, or {@code null} for the module's name alone
     */
    public static CompiledModule compile(byte[] wasm, String className, CommandSettings command) {
        return compile(wasm, className, command, CompileProgress.NONE);
    }

    /** As {@link #compile(byte[], String, CommandSettings)}, telling {@code progress} how far it has come. */
    public static CompiledModule compile(byte[] wasm, String className, CommandSettings command, CompileProgress progress) {
        return compile(validate(wasm), className, command, progress);
    }

    /**
     * Decodes and validates {@code wasm}, a module in the binary or the text format, for the methods
     * that take a {@link ValidatedModule}: a tool that compiles a module and renders its API's
     * source, or looks at its imports first, decodes and validates it once.
     *
     * @throws CompileException if the module is malformed or invalid
     */
    public static ValidatedModule validate(byte[] wasm) {
        byte[] binary = binary(wasm);
        WasmModule module = ModuleDecoder.decode(binary);
        try {
            return new ValidatedModule(ModuleValidator.validate(module));
        } catch (CompileException e) {
            // Validation is the first reading of the bodies: one it did not reach, or did not finish,
            // may be malformed, and the spec reports that first.
            ModuleDecoder.checkWellFormed(binary);
            throw e;
        }
    }

    /**
     * As {@link #compile(byte[], String, CommandSettings, CompileProgress)}, of a module already
     * decoded and validated.
     *
     * @throws CompileException if the module uses a feature wasm2jvm does not compile
     */
    public static CompiledModule compile(ValidatedModule validated, String className, CommandSettings command,
                                         CompileProgress progress) {
        WasmModule module = validated.module;
        Map<String, byte[]> classes = ModuleEmitter.emit(module, className, command, progress);
        return new CompiledModule(className, classes, ModuleEmitter.resources(module, className), module.commandStart() >= 0);
    }

    /**
     * The Java source of the API that {@link #compile(byte[], String)} gives class {@code className}:
     * its public members with Javadoc stating each export's wasm type, and bodies that only throw.
     * Meant for reading and for IDEs; the class that runs is the compiled one.
     *
     * @throws CompileException if the module is malformed or invalid
     */
    public static String facadeSource(byte[] wasm, String className) {
        return facadeSource(validate(wasm), className);
    }

    /** As {@link #facadeSource(byte[], String)}, of a module already decoded and validated. */
    public static String facadeSource(ValidatedModule module, String className) {
        return FacadeSource.render(module.module, className);
    }

    /**
     * The Java source of the interface {@code className + "Api"} of the API that
     * {@link #compile(byte[], String)} gives class {@code className}: its exported functions and
     * accessors with their parameter names and Javadoc, static {@code instantiate} factories that
     * call the class's, and the interface of the host functions that the class's {@code Imports}
     * extends. Unlike {@link #facadeSource}, it is meant to be compiled with the code using the
     * class, which implements it once {@link CompiledModule#implementingApiInterface()} has added
     * it: this is how the Maven plugin gives IDEs the API's source and Javadoc.
     *
     * @throws CompileException if the module is malformed or invalid
     */
    public static String apiInterfaceSource(byte[] wasm, String className) {
        return apiInterfaceSource(validate(wasm), className);
    }

    /** As {@link #apiInterfaceSource(byte[], String)}, of a module already decoded and validated. */
    public static String apiInterfaceSource(ValidatedModule module, String className) {
        return FacadeSource.renderApi(module.module, className);
    }

    /** The binary name of the API interface of class {@code className}: {@code com.example.HelloApi}. */
    public static String apiInterfaceName(String className) {
        return className + FacadeSource.API_SUFFIX;
    }

    /**
     * A module in the binary format: {@code module} itself, or the conversion of a text module
     * ({@code .wat}, told apart by {@link Wat#isText}).
     *
     * @throws CompileException if the text is malformed ({@link dev.wasm2jvm.compiler.text.TextFormatException})
     */
    public static byte[] binary(byte[] module) {
        return Wat.isText(module) ? Wat.toBinary(module) : module;
    }

    /** Reads and compiles the module at {@code path}. */
    public static CompiledModule compile(Path path, String className) {
        try {
            return compile(Files.readAllBytes(path), className);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
