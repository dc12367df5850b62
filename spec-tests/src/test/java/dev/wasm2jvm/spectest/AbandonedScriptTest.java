package dev.wasm2jvm.spectest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A script whose wasm code loops forever, compiled by wasm2jvm: the time limit must actually stop it. */
class AbandonedScriptTest {
    /** {@code (module (func (export "spin") (loop (br 0))))}. */
    private static final byte[] SPIN = HexFormat.of().parseHex(
            "0061736d01000000" + "010401600000" + "03020100" + "070801047370696e0000" + "0a090107000340" + "0c000b0b");

    @TempDir
    Path dir;

    @Test
    void aLoopingScriptTimesOutAndItsThreadStops() throws Exception {
        Files.write(dir.resolve("spin.wasm"), SPIN);
        String spin = "{\"type\": \"invoke\", \"field\": \"spin\", \"args\": []}";
        Files.writeString(dir.resolve("spin.json"), "{\"commands\": ["
                + "{\"type\": \"module\", \"line\": 1, \"filename\": \"spin.wasm\"},"
                + "{\"type\": \"assert_return\", \"line\": 2, \"action\": " + spin + ", \"expected\": []},"
                + "{\"type\": \"assert_trap\", \"line\": 3, \"action\": " + spin + ", \"text\": \"unreachable\", \"expected\": []}]}");
        Script script = new Script("abandoned", "spin", dir.resolve("spin.json"));

        ScriptResult r = new ScriptExecution(Engine.WASM2JVM, Spectest::exports, Duration.ofMillis(500), Duration.ofMillis(100))
                .run(script);

        assertEquals(List.of(0, 2, 0), List.of(r.passed(), r.failed(), r.skipped()));
        assertEquals("abandoned/spin.json:2: script spin: 2 assertions not run: the script timed out after 0.5 s",
                r.failures().getFirst().format(script.id()));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (running("spectest " + script.id()) && System.nanoTime() < deadline) Thread.sleep(20);
        assertFalse(running("spectest " + script.id()), "the script's thread still spins");
    }

    private static boolean running(String threadName) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(threadName));
    }
}
