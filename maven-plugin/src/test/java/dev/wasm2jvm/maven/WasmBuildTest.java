package dev.wasm2jvm.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.OldJava;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WasmBuildTest {
    /** The empty module, version 1. */
    private static final byte[] EMPTY = {0, 'a', 's', 'm', 1, 0, 0, 0};
    /** A module exporting {@code answer: [] -> [i32]}, returning 42. */
    private static final byte[] ANSWER = {
        0, 'a', 's', 'm', 1, 0, 0, 0,
        1, 5, 1, 0x60, 0, 1, 0x7F,
        3, 2, 1, 0,
        7, 10, 1, 6, 'a', 'n', 's', 'w', 'e', 'r', 0, 0,
        10, 6, 1, 4, 0, 0x41, 42, 0x0B};

    @TempDir
    Path project;
    private Path wasm;
    private Path classes;
    private WasmBuild build;

    @BeforeEach
    void setUp() throws IOException {
        wasm = Files.createDirectories(project.resolve("src/main/wasm"));
        classes = project.resolve("target/classes");
        build = new WasmBuild(wasm, new ClassNames("com.example", Map.of()), classes, project.resolve("target/api"),
                project.resolve("target/generated-sources/wasm2jvm"), new Stamps(project.resolve("target/stamps"), "test"), List.of(), Map.of());
    }

    @Test
    void compilesEachModuleToItsClassAndApiSource() throws IOException {
        Path answer = Files.write(wasm.resolve("the-answer.wasm"), ANSWER);
        Path empty = Files.write(Files.createDirectories(wasm.resolve("util")).resolve("empty.wasm"), EMPTY);
        Files.writeString(wasm.resolve("notes.txt"), "not a module");
        assertEquals(List.of(answer, empty), build.modules());
        assertTrue(build.compile(answer));
        assertTrue(build.compile(empty));
        assertTrue(Files.isRegularFile(classes.resolve("com/example/TheAnswer.class")));
        assertTrue(Files.isRegularFile(classes.resolve("com/example/util/Empty.class")));
        String api = Files.readString(project.resolve("target/api/com/example/TheAnswer.java"));
        assertTrue(api.contains("public int answer()"), api);
    }

    /**
     * The build of a project as Maven runs it: the goal, then javac on the project's source and the
     * source root the goal adds, into the same output directory; then the project's code runs.
     */
    @Test
    void theProjectsCodeCompilesWithTheDocumentedApiInterfaceAndRunsTheModule() throws Exception {
        Path calc = Files.copy(Path.of("../compiler/src/test/resources/facade/calc.wasm"), wasm.resolve("calc.wasm"));
        assertTrue(build.compile(calc));
        Path generated = project.resolve("target/generated-sources/wasm2jvm");
        String api = Files.readString(generated.resolve("com/example/CalcApi.java"));
        assertTrue(api.contains("public interface CalcApi {"), api);
        assertTrue(api.contains("""
                     * Calls the exported function {@code "add-two"}: {@code [i32, i32] -> [i32]}.
                     *
                     * @param a parameter 0, i32
                     * @param b parameter 1, i32
                     * @return the wasm result, of type i32
                """), api);
        assertTrue(api.contains("    int addTwo(int a, int b);"), api);
        assertTrue(api.contains("        void env_log(int value);"), api);
        assertTrue(api.contains("    static Calc instantiate(Calc.Imports host) {"), api);

        Path app = Files.createDirectories(project.resolve("src/main/java/com/example/app")).resolve("App.java");
        Files.writeString(app, """
                package com.example.app;

                import com.example.Calc;
                import com.example.CalcApi;
                import java.util.ArrayList;
                import java.util.List;

                public final class App implements Calc.Imports {
                    final List<String> log = new ArrayList<>();
                    Calc bound;

                    @Override
                    public void bind(Calc instance) {
                        bound = instance;
                    }

                    @Override
                    public void env_log(int value) {
                        log.add("log " + value + ", memory of " + bound.memory().pages() + " page");
                    }

                    @Override
                    public Calc.Results_ii env_divmod(int p0, int p1) {
                        return new Calc.Results_ii(p0 / p1, p0 % p1);
                    }

                    public static List<String> run() {
                        App host = new App();
                        CalcApi calc = CalcApi.instantiate(host);
                        host.log.add("addTwo " + calc.addTwo(2, 3));
                        calc.log_twice(4);
                        host.log.add("divmod_sum " + calc.divmod_sum(17, 5));
                        return host.log;
                    }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-Xdoclint:all,-missing", "-Werror", "-d", classes.toString(),
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"),
                app.toString(), generated.resolve("com/example/CalcApi.java").toString());
        assertEquals(0, status, diagnostics.toString());
        assertTrue(Files.isRegularFile(classes.resolve("com/example/Calc.class")), "javac left the generated class alone");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> calcClass = loader.loadClass("com.example.Calc");
            assertTrue(loader.loadClass("com.example.CalcApi").isAssignableFrom(calcClass));
            assertEquals(List.of("addTwo 5", "log 4, memory of 1 page", "log 4, memory of 1 page", "divmod_sum 5"),
                    loader.loadClass("com.example.app.App").getMethod("run").invoke(null));
            assertEquals(List.of("a", "b"), Arrays.stream(calcClass.getMethod("addTwo", int.class, int.class).getParameters())
                    .map(p -> p.getName()).toList());
        }
    }

    @Test
    void compilesATextModuleLikeABinaryOne() throws IOException {
        Path text = Files.writeString(wasm.resolve("answer.wat"),
                "(module (func (export \"answer\") (result i32) (i32.const 42)))");
        assertEquals(List.of(text), build.modules());
        assertTrue(build.compile(text));
        assertTrue(Files.isRegularFile(classes.resolve("com/example/Answer.class")));
        String api = Files.readString(project.resolve("target/api/com/example/Answer.java"));
        assertTrue(api.contains("public int answer()"), api);
    }

    @Test
    void aCommandGetsALauncherThatSaysOnAnOldJavaWhichJavaItNeeds() throws Exception {
        Path hello = Files.copy(Path.of("../compiler/src/test/resources/facade/hello.wasm"), wasm.resolve("hello.wasm"));
        Path answer = Files.write(wasm.resolve("answer.wasm"), ANSWER);
        assertTrue(build.compile(hello));
        assertTrue(build.compile(answer));

        assertTrue(Files.isRegularFile(classes.resolve("com/example/HelloMain.class")));
        assertFalse(Files.exists(classes.resolve("com/example/AnswerMain.class")), "a library has no main to launch");
        assertEquals(OldJava.wrongJava(), OldJava.run("-cp", classes.toString(), "com.example.HelloMain", "Ada"));
    }

    @Test
    void anUnchangedModuleIsNotCompiledAgain() throws IOException {
        Path module = Files.write(wasm.resolve("answer.wasm"), ANSWER);
        assertTrue(build.compile(module));
        assertFalse(build.compile(module));
        Files.write(module, EMPTY);
        assertTrue(build.compile(module));
        assertFalse(build.compile(module));
    }

    @Test
    void aModuleWhoseClassIsGoneIsCompiledAgain() throws IOException {
        Path module = Files.write(wasm.resolve("answer.wasm"), ANSWER);
        assertTrue(build.compile(module));
        Files.delete(classes.resolve("com/example/Answer.class"));
        assertTrue(build.compile(module));
        assertTrue(Files.isRegularFile(classes.resolve("com/example/Answer.class")));
    }

    @Test
    void aBrokenModuleIsReportedWithItsOffset() throws IOException {
        byte[] truncated = Arrays.copyOf(ANSWER, ANSWER.length - 3);
        Path module = Files.write(wasm.resolve("broken.wasm"), truncated);
        CompileException e = assertThrows(CompileException.class, () -> build.compile(module));
        assertTrue(e.getMessage().contains("at offset 0x"), e.getMessage());
        assertFalse(Files.exists(classes.resolve("com/example/Broken.class")));
    }
}
