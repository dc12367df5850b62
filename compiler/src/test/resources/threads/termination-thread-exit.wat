;; _start spawns a thread that spins forever, waits until it runs, spawns one that ends the
;; program (exit 5), and spins forever itself.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  ;; address 4: how many spinning threads have started
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (if (i32.eqz (local.get $arg))
      (then (call $proc_exit (i32.const 5))))
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 1)))
    (loop $spin (br $spin)))
  (func (export "_start")
    (if (i32.lt_s (call $spawn (i32.const 1)) (i32.const 0)) (then unreachable))
    (block $started
      (loop $wait
        (br_if $started (i32.atomic.load (i32.const 4)))
        (drop (memory.atomic.wait32 (i32.const 4) (i32.const 0) (i64.const -1)))
        (br $wait)))
    (if (i32.lt_s (call $spawn (i32.const 0)) (i32.const 0)) (then unreachable))
    (loop $spin (br $spin))))
