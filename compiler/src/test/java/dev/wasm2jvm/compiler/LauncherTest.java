package dev.wasm2jvm.compiler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.wasm2jvm.compiler.emit.LargeModule;
import dev.wasm2jvm.runtime.command.CommandSettings;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LauncherTest {
    private static final Path HELLO = Path.of("src/test/resources/facade/hello.wasm");

    @Test
    void onAnOldJavaTheLauncherSaysInOneLineWhichJavaTheProgramNeeds(@TempDir Path classes) throws Exception {
        writeHello(classes);

        OldJava.Outcome outcome = OldJava.run("-cp", classes.toString(), "com.example.HelloMain", "Ada");

        assertEquals(OldJava.wrongJava(), outcome);
    }

    @Test
    void onJava22OrLaterTheLauncherRunsTheProgram(@TempDir Path classes) throws Exception {
        writeHello(classes);

        Process java = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"),
                "com.example.HelloMain", "Ada").redirectErrorStream(true).start();
        assertTrue(java.waitFor(60, TimeUnit.SECONDS), "the program did not end");

        assertEquals("hello Ada\n", new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(3, java.exitValue());
    }

    @Test
    void aCommandLauncherRunsTheModuleWithTheSettingsItHolds(@TempDir Path classes) throws Exception {
        WasmCompiler.compile(Files.readAllBytes(HELLO), "com.example.Hello").writeTo(classes);
        String settings = new CommandSettings("hello", List.of(), Map.of()).encode();
        Files.write(classes.resolve("com/example/HelloMain.class"),
                Launcher.commandClassFile("com.example.HelloMain", "com.example.Hello", 0, settings, "test-build"));

        assertEquals("hello Ada\n", runHello(classes));
    }

    /** Settings too long for a class file constant are the jar's resource, which the launcher has read. */
    @Test
    void aCommandLauncherWithSettingsTooLongForAConstantReadsThemFromTheResource(@TempDir Path classes) throws Exception {
        WasmCompiler.compile(Files.readAllBytes(HELLO), "com.example.Hello").writeTo(classes);
        String settings = new CommandSettings("hello", List.of(), Map.of("LONG", "x".repeat(30_000))).encode();
        Path resource = classes.resolve(CommandSettings.RESOURCE);
        Files.createDirectories(resource.getParent());
        Files.writeString(resource, settings, StandardCharsets.ISO_8859_1);
        byte[] launcher = Launcher.commandClassFile("com.example.HelloMain", "com.example.Hello", 0, settings, "test-build");
        Files.write(classes.resolve("com/example/HelloMain.class"), launcher);

        assertFalse(new String(launcher, StandardCharsets.ISO_8859_1).contains("xxxxxxxx"), "the settings are a constant");
        assertEquals("hello Ada\n", runHello(classes));
        Files.delete(resource);
        assertTrue(runHello(classes).contains("missing resource " + CommandSettings.RESOURCE),
                "the launcher did not read the resource");
    }

    /** The launching thread links the code classes while the program runs; the program needs them all. */
    @Test
    void aCommandLauncherRunsAModuleSpreadOverCodeClasses(@TempDir Path classes) throws Exception {
        CompiledModule large = WasmCompiler.compile(LargeModule.build(), "large.Module");
        large.writeTo(classes);
        int codeClasses = large.codeClassCount();
        assertTrue(codeClasses > 1, "the module is one class");
        assertTrue(large.classFiles().containsKey("large.Module$Code" + (codeClasses - 1)));
        assertFalse(large.classFiles().containsKey("large.Module$Code" + codeClasses));
        String settings = new CommandSettings("large", List.of(), Map.of()).encode();
        Files.write(classes.resolve("large/ModuleMain.class"),
                Launcher.commandClassFile("large.ModuleMain", "large.Module", codeClasses, settings, "test-build"));

        Process java = java(classes, "large.ModuleMain");

        assertEquals("", new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(LargeModule.EXIT_OK, java.exitValue());
    }

    @Test
    void aCommandLauncherWhoseModuleClassIsMissingSaysSoInOneLine(@TempDir Path classes) throws Exception {
        String settings = new CommandSettings("missing", List.of(), Map.of()).encode();
        Files.createDirectories(classes.resolve("com/example"));
        Files.write(classes.resolve("com/example/MissingMain.class"),
                Launcher.commandClassFile("com.example.MissingMain", "com.example.Missing", 2, settings, "test-build"));

        Process java = java(classes, "com.example.MissingMain");

        assertEquals("wasm2jvm: internal error: java.lang.NoClassDefFoundError: com.example.Missing is not in the"
                + " program's jar (run with -Dwasm2jvm.verbose=true for details)\n",
                new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(1, java.exitValue());
    }

    /** {@code mainClass}, run in a JVM of its own and ended, its two streams merged. */
    private static Process java(Path classes, String mainClass) throws Exception {
        Process java = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"),
                mainClass).redirectErrorStream(true).start();
        assertTrue(java.waitFor(60, TimeUnit.SECONDS), "the program did not end");
        return java;
    }

    /** What {@code com.example.HelloMain Ada} prints, on both streams, in a JVM of its own; hello exits with 3. */
    private static String runHello(Path classes) throws Exception {
        Process java = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"),
                "com.example.HelloMain", "Ada").redirectErrorStream(true).start();
        assertTrue(java.waitFor(60, TimeUnit.SECONDS), "the program did not end");
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.exitValue() == 3 || output.startsWith("wasm2jvm: "), output);
        return output;
    }

    @Test
    void aCommandIsToldFromALibrary() throws Exception {
        assertTrue(WasmCompiler.compile(Files.readAllBytes(HELLO), "com.example.Hello").isCommand());
        assertFalse(WasmCompiler.compile(Files.readAllBytes(Path.of("src/test/resources/facade/calc.wasm")),
                "com.example.Calc").isCommand());
    }

    private static void writeHello(Path classes) throws Exception {
        WasmCompiler.compile(Files.readAllBytes(HELLO), "com.example.Hello").writeTo(classes);
        Path launcher = classes.resolve("com/example/HelloMain.class");
        Files.write(launcher, Launcher.classFile("com.example.HelloMain", "com.example.Hello"));
        // Java 8's class file version, 52.
        assertEquals(52, Byte.toUnsignedInt(Files.readAllBytes(launcher)[7]));
    }
}
