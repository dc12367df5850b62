;; _start spawns a thread that blocks in memory.atomic.wait32 forever and one that spins forever,
;; waits until both run, then ends the program: trap.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  ;; address 0: never notified; address 4: how many threads have started
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 1)))
    (if (i32.eqz (local.get $arg))
      (then (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
      (else (loop $spin (br $spin)))))
  (func (export "_start")
    (local $started i32)
    (if (i32.lt_s (call $spawn (i32.const 0)) (i32.const 0)) (then unreachable))
    (if (i32.lt_s (call $spawn (i32.const 1)) (i32.const 0)) (then unreachable))
    (block $all
      (loop $wait
        (local.set $started (i32.atomic.load (i32.const 4)))
        (br_if $all (i32.eq (local.get $started) (i32.const 2)))
        (drop (memory.atomic.wait32 (i32.const 4) (local.get $started) (i64.const -1)))
        (br $wait)))
    unreachable))
