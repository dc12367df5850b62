package dev.wasm2jvm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasm2jvm.cli.Cli.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread that {@code thread-spawn} starts recurses as deep as the program's main thread, in a
 * compiled jar run with the JVM's defaults (whose own thread stack, 1 MiB, holds a few thousand
 * levels of generated code): this test's JVM gives its threads a larger stack, so only a process
 * of its own shows the spawned thread's.
 */
class ThreadStackTest {
    /** Spawns a thread that recurses 200,000 levels and waits for it; exits 3 if the count is wrong. */
    private static final String DEEP_THREAD = """
            (module
              (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (import "env" "memory" (memory 1 1 shared))
              (func $down (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0))
                  (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
              (func (export "wasi_thread_start") (param $tid i32) (param $depth i32)
                (i32.atomic.store (i32.const 4) (call $down (local.get $depth)))
                (i32.atomic.store (i32.const 0) (i32.const 1))
                (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))
              (func (export "_start")
                (if (i32.le_s (call $spawn (i32.const 200000)) (i32.const 0)) (then (call $exit (i32.const 2))))
                (block $done
                  (loop $wait
                    (br_if $done (i32.atomic.load (i32.const 0)))
                    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
                    (br $wait)))
                (if (i32.ne (i32.atomic.load (i32.const 4)) (i32.const 200000)) (then (call $exit (i32.const 3))))))
            """;

    @Test
    void aSpawnedThreadRecursesAsDeepAsTheMainThread(@TempDir Path dir) throws Exception {
        Path wat = Files.writeString(dir.resolve("deep-thread.wat"), DEEP_THREAD);
        Path jar = dir.resolve("deep-thread.jar");
        assertEquals(0, Cli.run("compile", wat.toString(), "-o", jar.toString()).exitCode());

        Outcome outcome = Cli.runJar(jar, List.of(), Map.of());

        assertEquals("", outcome.stderr());
        assertEquals(0, outcome.exitCode());
    }
}
