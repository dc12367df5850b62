package dev.wasm2jvm.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What host code sees of wasm exceptions and makes of them: tags by identity, payloads checked against the tag's type. */
class WasmExceptionTest {
    @Test
    void anExceptionCarriesItsTagAndACopyOfItsValues() {
        Tag tag = new Tag("il:");
        Object[] values = {7, 8L};
        WasmException e = new WasmException(tag, values);
        values[0] = 9;
        assertSame(tag, e.tag());
        assertArrayEquals(new Object[] {7, 8L}, e.payload());
        e.payload()[1] = 0L;
        assertEquals(8L, e.value(1), "payload() is a copy");
        assertEquals(0, e.getStackTrace().length);
        assertEquals("uncaught wasm exception (tag il:)", e.getMessage());
    }

    @Test
    void valuesMustMatchTheTagsType() {
        Tag tag = new Tag("il:");
        assertEquals(2, tag.arity());
        assertThrows(IllegalArgumentException.class, () -> new WasmException(tag, 1, 2), "an Integer where an i64 goes");
        assertThrows(IllegalArgumentException.class, () -> new WasmException(tag, 1));
        new WasmException(new Tag("ex:"), null, null);
    }

    @Test
    void tagsAreDistinctObjectsOfTypesWithoutResults() {
        assertNotSame(new Tag("i:"), new Tag("i:"));
        assertSame(new Tag("i:").type, new Tag("i:").type, "types are interned, so that linking compares them cheaply");
        assertThrows(IllegalArgumentException.class, () -> new Tag("i:i"));
        assertThrows(IllegalArgumentException.class, () -> new Tag("i"));
        assertThrows(IllegalArgumentException.class, () -> new Tag("q:"));
    }

    @Test
    void aTagImportLinksToTheVeryTagOfItsType() {
        Tag tag = new Tag("d:");
        Imports imports = new Imports().add("m", "t", tag);
        assertSame(tag, Linking.tag(imports, "m", "t", "d:"));
        LinkException wrongType = assertThrows(LinkException.class, () -> Linking.tag(imports, "m", "t", "f:"));
        assertEquals("incompatible import type", wrongType.reason());
        assertThrows(LinkException.class, () -> Linking.tag(imports, "m", "missing", "d:"));
    }
}
