;; As unstable-spin.wat, but the threads meet through the futex of the shared memory: the spawned
;; thread sets the flag atomically and notifies; the main thread waits with memory.atomic.wait32
;; until the flag is set.
(module
  (import "wasi_unstable" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (export "memory" (memory 0))

  ;; 0: the flag; 16 and 32: an iovec and nwritten for each thread; 64 and 128: the messages.
  (data (i32.const 64) "Hello from the spawned thread\n")
  (data (i32.const 128) "Hello from the main thread, woken by the notify\n")

  (func $print (param $iov i32) (param $ptr i32) (param $len i32)
    (i32.store (local.get $iov) (local.get $ptr))
    (i32.store offset=4 (local.get $iov) (local.get $len))
    (drop (call $fd_write (i32.const 1) (local.get $iov) (i32.const 1) (i32.add (local.get $iov) (i32.const 8)))))

  (func (export "wasi_thread_start") (param $tid i32) (param $flag i32)
    (call $print (i32.const 32) (i32.const 64) (i32.const 30))
    (i32.atomic.store (local.get $flag) (i32.const 1))
    (drop (memory.atomic.notify (local.get $flag) (i32.const 1))))

  (func (export "_start")
    (if (i32.lt_s (call $thread_spawn (i32.const 0)) (i32.const 0))
      (then (unreachable)))
    ;; wait32 returns at once ("not-equal") when the flag is already set, and a wakeup without it
    ;; set only loops again.
    (loop $wait
      (if (i32.eqz (i32.atomic.load (i32.const 0)))
        (then
          (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
          (br $wait))))
    (call $print (i32.const 16) (i32.const 128) (i32.const 48)))
)
