package dev.wasm2jvm.maven;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JavaReleaseTest {
    @Test
    void aReleaseBelow22FailsNamingThePropertyAndTheJavaNeeded() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JavaRelease.check("17", null));

        assertEquals("the classes wasm2jvm generates need Java 22 or later, but this project targets Java 17"
                + " (maven.compiler.release): set maven.compiler.release to 22 or later", e.getMessage());
    }

    @Test
    void anOldStyleTargetBelow22FailsToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JavaRelease.check(null, "1.8"));

        assertEquals("the classes wasm2jvm generates need Java 22 or later, but this project targets Java 1.8"
                + " (maven.compiler.target): set maven.compiler.target to 22 or later", e.getMessage());
    }

    @Test
    void theReleaseWinsOverTheTarget() {
        assertDoesNotThrow(() -> JavaRelease.check("22", "1.8"));
        assertThrows(IllegalArgumentException.class, () -> JavaRelease.check("21", "25"));
    }

    @Test
    void java22AndLaterOrNoSettingPass() {
        assertDoesNotThrow(() -> JavaRelease.check("25", null));
        assertDoesNotThrow(() -> JavaRelease.check(null, "22"));
        assertDoesNotThrow(() -> JavaRelease.check(null, null));
        assertDoesNotThrow(() -> JavaRelease.check("", " "));
    }

    @Test
    void aValueThatIsNoVersionFails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JavaRelease.check("latest", null));

        assertEquals("maven.compiler.release is \"latest\", not a Java version", e.getMessage());
    }
}
