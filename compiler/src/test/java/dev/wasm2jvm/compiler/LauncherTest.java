package dev.wasm2jvm.compiler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
