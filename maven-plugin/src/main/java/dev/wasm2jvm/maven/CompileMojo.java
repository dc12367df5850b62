package dev.wasm2jvm.maven;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.runtime.command.Preopen;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Compiles every WebAssembly module under {@code src/main/wasm} to a JVM class with a typed Java API
 * (a method per exported function, a nested interface of the imported ones, {@code instantiate},
 * and {@code main} for a WASI command).
 *
 * <p>A WASI command also gets a launcher, the class of the same name with {@code Main} appended: its
 * {@code main} loads on any Java from 8 on and says in one line which Java the program needs when it
 * is older than 22, then runs the command's {@code main}. The goal fails when the project targets
 * a Java older than 22 ({@code maven.compiler.release}, else {@code maven.compiler.target}).
 *
 * <p>The goal runs in {@code generate-resources}, before {@code compile}, and writes the classes
 * straight into the project's output directory: javac has that directory on its class path, so
 * the project's own Java code compiles against the generated classes, and they are packaged with
 * it. Each class implements an interface of its API, {@code HelloApi} for {@code Hello}, whose
 * documented source the goal writes to a source root it adds to the project: javac compiles it
 * with the project's code, and IDEs that import the project show its Javadoc. A module whose content, class name and compiler are unchanged since the last build is not
 * compiled again.
 */
@Mojo(name = "compile", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class CompileMojo extends AbstractMojo {
    /** Where the modules are: every {@code .wasm} (binary) and {@code .wat} (text) file below it is compiled. */
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
     * Where the Java source describing each whole class goes (bodies that only throw), for reading.
     * It is not a source root: javac would compile the descriptions over the classes; IDEs get the
     * API interfaces of {@link #generatedSourcesDirectory} instead.
     */
    @Parameter(defaultValue = "${project.build.directory}/wasm2jvm/api")
    private File apiDirectory;

    /**
     * Where the source of each class's API interface goes ({@code com.example.HelloApi} for
     * {@code com.example.Hello}): the goal adds it to the project's source roots, so that javac
     * compiles the interfaces, which the classes implement, and IDEs show their Javadoc and
     * parameter names for the classes' methods.
     */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/wasm2jvm", required = true)
    private File generatedSourcesDirectory;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** Where the stamps of compiled modules are kept. */
    @Parameter(defaultValue = "${project.build.directory}/wasm2jvm/stamps", readonly = true)
    private File stampDirectory;

    @Parameter(defaultValue = "${plugin.version}", readonly = true)
    private String pluginVersion;

    /**
     * Directories that the {@code main} of a WASI command preopens, as {@code HOST[::GUEST]} (as
     * {@code wasm2jvm run --dir} takes them): {@code <dirs><dir>data::/data</dir></dirs>}. A relative
     * host path is resolved against the working directory of the run. None by default.
     */
    @Parameter
    private List<String> dirs;

    /**
     * Environment variables that the {@code main} of a WASI command sets on top of the inherited
     * environment: {@code <env><GREETING>hi</GREETING></env>}.
     */
    @Parameter
    private Map<String, String> env;

    /** The project's Java release, which must be 22 or later. */
    @Parameter(defaultValue = "${maven.compiler.release}", readonly = true)
    private String release;

    /** The project's Java target, checked when it sets no release. */
    @Parameter(defaultValue = "${maven.compiler.target}", readonly = true)
    private String target;

    /** Skips the goal. */
    @Parameter(property = "wasm2jvm.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping wasm2jvm");
            return;
        }
        try {
            JavaRelease.check(release, target);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        Path root = wasmDirectory.toPath();
        if (!Files.isDirectory(root)) {
            getLog().info("No WebAssembly modules: " + root + " does not exist");
            return;
        }
        WasmBuild build;
        try {
            List<Preopen> preopens = dirs == null ? List.of() : dirs.stream().map(Preopen::parse).toList();
            build = new WasmBuild(root, new ClassNames(packageName, classNames), outputDirectory.toPath(),
                    apiDirectory.toPath(), generatedSourcesDirectory.toPath(), new Stamps(stampDirectory.toPath(), pluginVersion), preopens,
                    env == null ? Map.of() : env);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        project.addCompileSourceRoot(generatedSourcesDirectory.getPath());
        List<Path> modules;
        try {
            modules = build.modules();
        } catch (IOException e) {
            throw new MojoExecutionException("cannot list " + root + ": " + e.getMessage(), e);
        }
        int compiled = 0;
        for (Path module : modules) {
            try {
                if (build.compile(module)) {
                    getLog().info("Compiled " + root.relativize(module) + " to " + build.className(module));
                    compiled++;
                }
            } catch (CompileException e) {
                throw new MojoFailureException(module + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new MojoExecutionException(module + ": " + e.getMessage(), e);
            }
        }
        getLog().info("wasm2jvm: " + compiled + " module(s) compiled, " + (modules.size() - compiled) + " up to date");
    }
}
