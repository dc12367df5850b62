package dev.wasm2jvm.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.OldJava;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
                new Stamps(project.resolve("target/stamps"), "test"), List.of(), Map.of());
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
