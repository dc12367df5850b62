;; memory.atomic.wait32/64 and notify with a memarg offset, atomic.fence, and a memory that grows
;; while a thread waits.
;; Build: wat2wasm --enable-threads wait-notify.wat
(module
  ;; Imported, so that each thread's instance shares it: an instance runs on one thread at a time.
  (import "env" "mem" (memory 1 2 shared))
  (export "mem" (memory 0))
  (func (export "wait32") (param $addr i32) (param $expected i32) (param $timeout i64) (result i32)
    (memory.atomic.wait32 offset=4 (local.get $addr) (local.get $expected) (local.get $timeout)))
  (func (export "wait64") (param $addr i32) (param $expected i64) (param $timeout i64) (result i32)
    (memory.atomic.wait64 offset=8 (local.get $addr) (local.get $expected) (local.get $timeout)))
  (func (export "notify") (param $addr i32) (param $count i32) (result i32)
    (memory.atomic.notify offset=4 (local.get $addr) (local.get $count)))
  (func (export "fence") (param $addr i32) (param $value i32) (result i32)
    (i32.store (local.get $addr) (local.get $value))
    (atomic.fence)
    (i32.load (local.get $addr)))
  ;; Waits on address 0 for a notify, then reads the i32 at 65536, which exists only after the
  ;; notifier grew the memory.
  (func (export "waitThenReadGrown") (result i32)
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
    (i32.atomic.load (i32.const 65536)))
  (func (export "growThenNotify") (result i32)
    (drop (memory.grow (i32.const 1)))
    (i32.atomic.store (i32.const 65536) (i32.const 42))
    (i32.atomic.store (i32.const 0) (i32.const 1))
    (memory.atomic.notify (i32.const 0) (i32.const 1)))
)
