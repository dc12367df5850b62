package dev.wasm2jvm.maven;

import dev.wasm2jvm.compiler.CompileProgress;
import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.Launcher;
import dev.wasm2jvm.compiler.ValidatedModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.command.CommandSettings;
import dev.wasm2jvm.runtime.command.Preopen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Compiles the modules below a wasm directory into an output directory, with the Java source of
 * each class's API beside in a directory of its own and the source of its API interface in a
 * source root, and skips the modules that are up to date.
 */
final class WasmBuild {
    private final Path wasmDirectory;
    private final ClassNames classNames;
    private final Path outputDirectory;
    private final Path apiDirectory;
    private final Path sourceDirectory;
    private final Stamps stamps;
    private final List<Preopen> dirs;
    private final Map<String, String> env;

    /**
     * @param apiDirectory where the Java description of each class's API goes
     * @param sourceDirectory where the source of each class's API interface goes: a source root of
     *     the project, since the classes implement the interfaces javac compiles from there
     */
    WasmBuild(Path wasmDirectory, ClassNames classNames, Path outputDirectory, Path apiDirectory, Path sourceDirectory,
              Stamps stamps, List<Preopen> dirs, Map<String, String> env) {
        this.dirs = List.copyOf(dirs);
        this.env = Map.copyOf(env);
        this.wasmDirectory = wasmDirectory;
        this.classNames = classNames;
        this.outputDirectory = outputDirectory;
        this.apiDirectory = apiDirectory;
        this.sourceDirectory = sourceDirectory;
        this.stamps = stamps;
    }

    /** Every module below the wasm directory, binary ({@code .wasm}) or text ({@code .wat}), in a stable order. */
    List<Path> modules() throws IOException {
        try (Stream<Path> files = Files.walk(wasmDirectory)) {
            return files.filter(f -> isModule(f.getFileName().toString()) && Files.isRegularFile(f)).sorted().toList();
        }
    }

    /** The binary name of the class that {@code module} compiles to. */
    String className(Path module) {
        return classNames.of(wasmDirectory.relativize(module));
    }

    /** The launcher of a command's class: {@code com.example.Hello} gets {@code com.example.HelloMain}. */
    static String launcherName(String className) {
        return className + "Main";
    }

    /**
     * Compiles {@code module} unless its stamp matches and its class exists.
     *
     * @return whether the module was compiled
     * @throws dev.wasm2jvm.compiler.CompileException if the module is malformed, invalid or unsupported
     */
    boolean compile(Path module) throws IOException {
        Path relative = wasmDirectory.relativize(module);
        String className = className(module);
        byte[] wasm = Files.readAllBytes(module);
        // A command's main runs as `wasm2jvm run` would: the module's file name is its argv[0].
        CommandSettings command = new CommandSettings(module.getFileName().toString(), dirs, new TreeMap<>(env));
        // The class implements its API interface: classes of builds without one are out of date.
        String stamp = stamps.stamp(wasm, className + "\n" + command.encode() + "\nimplements " + WasmCompiler.apiInterfaceName(className));
        Path classFile = outputDirectory.resolve(className.replace('.', '/') + ".class");
        Path apiInterface = sourceDirectory.resolve(WasmCompiler.apiInterfaceName(className).replace('.', '/') + ".java");
        if (stamps.matches(relative, stamp) && Files.isRegularFile(classFile) && Files.isRegularFile(apiInterface)) return false;
        ValidatedModule validated = WasmCompiler.validate(wasm);
        CompiledModule compiled = WasmCompiler.compile(validated, className, command, CompileProgress.NONE).implementingApiInterface();
        compiled.writeTo(outputDirectory);
        if (compiled.isCommand()) {
            String launcher = launcherName(className);
            Files.write(outputDirectory.resolve(launcher.replace('.', '/') + ".class"), Launcher.classFile(launcher, className));
        }
        Path api = apiDirectory.resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(api.getParent());
        Files.writeString(api, WasmCompiler.facadeSource(validated, className), StandardCharsets.UTF_8);
        Files.createDirectories(apiInterface.getParent());
        Files.writeString(apiInterface, WasmCompiler.apiInterfaceSource(validated, className), StandardCharsets.UTF_8);
        stamps.record(relative, stamp);
        return true;
    }

    private static boolean isModule(String fileName) {
        return fileName.endsWith(".wasm") || fileName.endsWith(".wat");
    }
}
