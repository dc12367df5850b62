;; The threads test module of the typed API: calls keep their state in a shadow stack addressed by
;; a mutable global, as C programs do, and env.pause hands control to the host in the middle of a
;; call (to hold it open, or to call back in). The start function and _initialize greet through
;; env.greet.
;; Build: wat2wasm stack.wat
(module $stack
  (import "env" "pause" (func $pause (param $value i32)))
  (import "env" "greet" (func $greet (param $text i32) (param $length i32)))
  (memory (export "memory") 1)
  (global $sp (mut i32) (i32.const 65536))
  (data (i32.const 16) "started")
  (data (i32.const 32) "initialized")
  (start $start)
  (func $start (call $greet (i32.const 16) (i32.const 7)))
  ;; A reactor's initialisation, which the typed API's instantiate runs after the start function.
  (func (export "_initialize") (call $greet (i32.const 32) (i32.const 11)))
  ;; Pushes $value on the shadow stack, lets the host run, pops it and returns it.
  (func (export "keep") (param $value i32) (result i32)
    (local $frame i32)
    (global.set $sp (local.tee $frame (i32.sub (global.get $sp) (i32.const 16))))
    (i32.store (local.get $frame) (local.get $value))
    (call $pause (local.get $value))
    (global.set $sp (i32.add (local.get $frame) (i32.const 16)))
    (i32.load (local.get $frame)))
  (func (export "fail") unreachable)
  ;; The shadow stack's depth in bytes: 0 between calls.
  (func (export "depth") (result i32) (i32.sub (i32.const 65536) (global.get $sp))))
