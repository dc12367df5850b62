package dev.wasm2jvm.compiler.emit.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JavaNamesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "fd_write|fd_write",
        "add-two|addTwo",
        "wasi:io/streams.read|wasiIoStreamsRead",
        "class|class_",
        "_|__",
        "''|__",
        "2fast|_2fast",
        "--x--|x",
        "héllo wörld|hélloWörld",
        "$ref|ref",
    })
    void mapsWasmNamesToJavaIdentifiers(String wasm, String java) {
        assertEquals(java, JavaNames.identifier(wasm));
    }

    @Test
    void aTakenNameGetsTrailingUnderscores() {
        JavaNames names = new JavaNames(Set.of("exports"));
        assertEquals("exports_", names.unique("exports"));
        assertEquals("addTwo", names.unique("add-two"));
        assertEquals("addTwo_", names.unique("addTwo"));
        assertEquals("addTwo__", names.unique("add.two"));
    }
}
