;; A wasi-threads program written by hand the way the well-known example of spawning a thread from
;; raw WebAssembly is: the shared memory is imported from "env" and exported again, output goes
;; through snapshot 0's (wasi_unstable) fd_write. The spawned thread prints a message and sets a
;; flag with a plain store; the main thread waits for it by spinning on a plain i32.load, then
;; prints its own message.
(module
  (import "wasi_unstable" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (export "memory" (memory 0))

  ;; 0: the flag; 16 and 32: an iovec and nwritten for each thread; 64 and 128: the messages.
  (data (i32.const 64) "Hello from the spawned thread\n")
  (data (i32.const 128) "Hello from the main thread, which saw the flag\n")

  (func $print (param $iov i32) (param $ptr i32) (param $len i32)
    (i32.store (local.get $iov) (local.get $ptr))
    (i32.store offset=4 (local.get $iov) (local.get $len))
    (drop (call $fd_write (i32.const 1) (local.get $iov) (i32.const 1) (i32.add (local.get $iov) (i32.const 8)))))

  (func (export "wasi_thread_start") (param $tid i32) (param $flag i32)
    (call $print (i32.const 32) (i32.const 64) (i32.const 30))
    (i32.store (local.get $flag) (i32.const 1)))

  (func (export "_start")
    (if (i32.lt_s (call $thread_spawn (i32.const 0)) (i32.const 0))
      (then (unreachable)))
    (loop $spin
      (br_if $spin (i32.eqz (i32.load (i32.const 0)))))
    (call $print (i32.const 16) (i32.const 128) (i32.const 47)))
)
