package dev.wasm2jvm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BenchImportsTest {
    @Test
    void benchImportsBecomeEmptyFunctionsAtTheEnd() {
        String module = """
                (module $m
                  (type $t0 (func))
                  (type $t1 (func (param i32)))
                  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (type $t1)))
                  (import "bench" "start" (func $bench_start (type $t0)))
                  (import "bench" "end" (func $bench_end (type $t0)))
                  (func $_start (type $t0)
                    call $bench_start
                    call $bench_end)
                  (export "_start" (func $_start)))
                """;
        assertEquals("""
                (module $m
                  (type $t0 (func))
                  (type $t1 (func (param i32)))
                  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (type $t1)))
                  (func $_start (type $t0)
                    call $bench_start
                    call $bench_end)
                  (export "_start" (func $_start))
                  (func $bench_start (type $t0))
                  (func $bench_end (type $t0))
                )
                """, BenchImports.rewrite(module));
    }

    @Test
    void aModuleWithoutThemIsLeftAlone() {
        String module = "(module\n  (func $f))\n";
        assertEquals(module, BenchImports.rewrite(module));
    }
}
