package dev.wasm2jvm.maven;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Compiles every WebAssembly module under {@code src/main/wasm} to a JVM class with a typed Java API
 * (a method per exported function, a nested interface of the imported ones, {@code instantiate},
 * and {@code main} for a WASI command).
 *
 * <p>The goal runs in {@code generate-resources}, before {@code compile}, and writes the classes
 * straight into the project's output directory: javac has that directory on its class path, so
 * the project's own Java code compiles against the generated classes, and they are packaged with
 * it. A module whose content, class name and compiler are unchanged since the last build is not
 * compiled again.
 */
@Mojo(name = "compile", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class CompileMojo extends AbstractMojo {
    /** Where the modules are: every {@code .wasm} file below it is compiled. */
    @Parameter(defaultValue = "${project.basedir}/src/main/wasm", property = "wasm2jvm.wasmDirectory")
    private File wasmDirectory;

    /**
     * The package of the generated classes. A module in a folder below {@link #wasmDirectory} goes
     * to the subpackage of that folder's name.
     */
    @Parameter(property = "wasm2jvm.packageName", required = true)
    private String packageName;

    /**
     * Class names chosen per module file name, instead of the file's base name in UpperCamelCase:
     * {@code <classNames><hello.wasm>Greeter</hello.wasm></classNames>}. A simple name stays in the
     * module's package; a qualified name is used as it is.
     */
    @Parameter
    private Map<String, String> classNames;

    /** Where the classes go: the project's output directory, so that javac sees them. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", required = true)
    private File outputDirectory;

    /**
     * Where the Java source describing each class's API goes, for reading and for IDEs (attach it
     * as sources). It is not a source root: javac would compile the descriptions over the classes.
     */
    @Parameter(defaultValue = "${project.build.directory}/wasm2jvm/api")
    private File apiDirectory;

    /** Where the stamps of compiled modules are kept. */
    @Parameter(defaultValue = "${project.build.directory}/wasm2jvm/stamps", readonly = true)
    private File stampDirectory;

    @Parameter(defaultValue = "${plugin.version}", readonly = true)
    private String pluginVersion;

    /** Skips the goal. */
    @Parameter(property = "wasm2jvm.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping wasm2jvm");
            return;
        }
        Path root = wasmDirectory.toPath();
        if (!Files.isDirectory(root)) {
            getLog().info("No WebAssembly modules: " + root + " does not exist");
            return;
        }
        ClassNames names;
        try {
            names = new ClassNames(packageName, classNames);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        Stamps stamps = new Stamps(stampDirectory.toPath(), pluginVersion);
        int compiled = 0;
        List<Path> modules = modules(root);
        for (Path module : modules) {
            if (compile(root, module, names.of(root.relativize(module)), stamps)) compiled++;
        }
        getLog().info("wasm2jvm: " + compiled + " module(s) compiled, " + (modules.size() - compiled) + " up to date");
    }

    private static List<Path> modules(Path root) throws MojoExecutionException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".wasm") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new MojoExecutionException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /** Compiles {@code module} to {@code className} unless it is up to date; returns whether it compiled. */
    private boolean compile(Path root, Path module, String className, Stamps stamps)
            throws MojoExecutionException, MojoFailureException {
        Path relative = root.relativize(module);
        Path classFile = outputDirectory.toPath().resolve(className.replace('.', '/') + ".class");
        try {
            byte[] wasm = Files.readAllBytes(module);
            String stamp = stamps.stamp(wasm, className);
            if (stamps.matches(relative, stamp) && Files.isRegularFile(classFile)) return false;
            CompiledModule compiled = WasmCompiler.compile(wasm, className);
            compiled.writeTo(outputDirectory.toPath());
            Path api = apiDirectory.toPath().resolve(className.replace('.', '/') + ".java");
            Files.createDirectories(api.getParent());
            Files.writeString(api, WasmCompiler.facadeSource(wasm, className), StandardCharsets.UTF_8);
            stamps.record(relative, stamp);
            getLog().info("Compiled " + relative + " to " + className);
            return true;
        } catch (CompileException e) {
            throw new MojoFailureException(module + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException(module + ": " + e.getMessage(), e);
        }
    }
}
