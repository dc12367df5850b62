package dev.wasm2jvm.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassNamesTest {
    private final ClassNames names = new ClassNames("com.example", Map.of("hello.wasm", "Greeter", "zlib.wasm", "org.zlib.Zlib"));

    @Test
    void theFileBaseNameInUpperCamelCase() {
        assertEquals("com.example.ThreadsZig", names.of(Path.of("threads-zig.wasm")));
        assertEquals("com.example.MathLib", names.of(Path.of("math_lib.wasm")));
        assertEquals("com.example.Calc", names.of(Path.of("calc.wasm")));
        assertEquals("com.example._2048", names.of(Path.of("2048.wasm")));
    }

    @Test
    void foldersBecomeSubpackages() {
        assertEquals("com.example.codecs.png.Decoder", names.of(Path.of("codecs", "PNG", "decoder.wasm")));
        assertEquals("com.example._int.Calc", names.of(Path.of("int", "calc.wasm")));
    }

    @Test
    void aClassNameOfItsOwnReplacesTheDerivedOne() {
        assertEquals("com.example.Greeter", names.of(Path.of("hello.wasm")));
        assertEquals("com.example.sub.Greeter", names.of(Path.of("sub", "hello.wasm")));
        assertEquals("org.zlib.Zlib", names.of(Path.of("zlib.wasm")));
    }

    @Test
    void namesThatJavaRejectsAreReported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClassNames("com.example", Map.of("hello.wasm", "class")));
        assertEquals("classNames/hello.wasm: \"class\" is not a Java class or package name", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClassNames("com.1example", Map.of()));
    }
}
