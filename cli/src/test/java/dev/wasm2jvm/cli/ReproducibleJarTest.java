package dev.wasm2jvm.cli;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReproducibleJarTest {
    @Test
    void entriesCarryTheDosEpochWithoutSourceDateEpoch() {
        assertEquals(LocalDateTime.of(1980, 2, 1, 0, 0), ReproducibleJar.entryTime(null));
        assertEquals(ReproducibleJar.DOS_EPOCH, ReproducibleJar.entryTime(""));
    }

    @Test
    void entriesCarrySourceDateEpochInUtc() {
        assertEquals(LocalDateTime.of(2026, 12, 5, 21, 41, 30), ReproducibleJar.entryTime("1796506890"));
    }

    @Test
    void aSourceDateEpochBeforeWhatAZipHoldsIsTheDosEpoch() {
        assertEquals(ReproducibleJar.DOS_EPOCH, ReproducibleJar.entryTime("0"));
    }

    @Test
    void aMalformedSourceDateEpochIsRefusedInOneLine() {
        UserError e = assertThrows(UserError.class, () -> ReproducibleJar.entryTime("yesterday"));
        assertEquals("SOURCE_DATE_EPOCH is not a number of seconds since 1970: yesterday", e.getMessage());
        assertThrows(UserError.class, () -> ReproducibleJar.entryTime("99999999999999999"));
    }
}
