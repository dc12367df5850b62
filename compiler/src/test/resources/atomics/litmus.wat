;; Litmus tests of the memory model on a shared memory: message passing (MP), store buffering (SB)
;; and load buffering (LB), for two threads that each call their role's function with the same n.
;; Iteration i uses fresh zeroed cells x and y at $cell(i) and $cell(i) + 8, so nothing is reset
;; between iterations, and a barrier starts both threads' iteration i together. Each role stores
;; what it read in iteration i at $r0(i) or $r1(i). A function returns how many iterations it ran:
;; n, or fewer if the stop flag was set while it waited at the barrier.
;; Build: wat2wasm --enable-threads litmus.wat
(module
  ;; Imported, so that each thread's instance shares it: an instance runs on one thread at a time.
  (import "env" "mem" (memory 10 10 shared))
  (export "mem" (memory 0))

  (global $BARRIER i32 (i32.const 0))
  (global $STOP i32 (i32.const 4))

  ;; n can be at most 16384: the cells fill [65536, 327680), the results [327680, 458752).
  (func $cell (param $i i32) (result i32)
    (i32.add (i32.const 65536) (i32.shl (local.get $i) (i32.const 4))))
  (func $r0 (param $i i32) (result i32)
    (i32.add (i32.const 327680) (i32.shl (local.get $i) (i32.const 2))))
  (func $r1 (param $i i32) (result i32)
    (i32.add (i32.const 393216) (i32.shl (local.get $i) (i32.const 2))))

  ;; Both threads arrive once per iteration, so iteration i starts when the count reaches 2(i + 1).
  ;; A thread that has to wait spins first, which keeps the two iterations close together, then
  ;; sleeps in memory.atomic.wait32, so that a machine short of cores still makes progress.
  ;; Returns 0 if the stop flag was set instead.
  (func $barrier (param $i i32) (result i32)
    (local $target i32) (local $seen i32) (local $spins i32)
    (local.set $target (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 1)))
    (if (i32.eq (i32.atomic.rmw.add (global.get $BARRIER) (i32.const 1)) (i32.sub (local.get $target) (i32.const 1)))
      (then
        (drop (memory.atomic.notify (global.get $BARRIER) (i32.const 1)))
        (return (i32.const 1))))
    (loop $spin
      (if (i32.atomic.load (global.get $STOP)) (then (return (i32.const 0))))
      (local.set $seen (i32.atomic.load (global.get $BARRIER)))
      (if (i32.lt_u (local.get $seen) (local.get $target))
        (then
          (local.set $spins (i32.add (local.get $spins) (i32.const 1)))
          ;; A millisecond at most, to see the stop flag.
          (if (i32.gt_u (local.get $spins) (i32.const 1000))
            (then (drop (memory.atomic.wait32 (global.get $BARRIER) (local.get $seen) (i64.const 1000000)))))
          (br $spin))))
    (i32.const 1))

  ;; MP: x := 1; y := 1  ||  r0 := y; r1 := x. Forbidden: r0 = 1, r1 = 0.
  (func (export "mp0") (param $n i32) (result i32)
    (local $i i32) (local $x i32)
    (block $stop (loop $next
      (br_if $stop (i32.eq (local.get $i) (local.get $n)))
      (br_if $stop (i32.eqz (call $barrier (local.get $i))))
      (local.set $x (call $cell (local.get $i)))
      (i32.atomic.store (local.get $x) (i32.const 1))
      (i32.atomic.store offset=8 (local.get $x) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $i))
  (func (export "mp1") (param $n i32) (result i32)
    (local $i i32) (local $x i32)
    (block $stop (loop $next
      (br_if $stop (i32.eq (local.get $i) (local.get $n)))
      (br_if $stop (i32.eqz (call $barrier (local.get $i))))
      (local.set $x (call $cell (local.get $i)))
      (i32.store (call $r0 (local.get $i)) (i32.atomic.load offset=8 (local.get $x)))
      (i32.store (call $r1 (local.get $i)) (i32.atomic.load (local.get $x)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $i))

  ;; SB: x := 1; r0 := y  ||  y := 1; r1 := x. Forbidden: r0 = 0, r1 = 0.
  ;; Each role runs it with 32-bit, 64-bit and 8-bit accesses in turn, one width per iteration.
  (func $sb (param $i i32) (param $x i32) (param $y i32) (result i32)
    (local $width i32)
    (local.set $width (i32.rem_u (local.get $i) (i32.const 3)))
    (if (result i32) (i32.eqz (local.get $width))
      (then
        (i32.atomic.store (local.get $x) (i32.const 1))
        (i32.atomic.load (local.get $y)))
      (else (if (result i32) (i32.eq (local.get $width) (i32.const 1))
        (then
          (i64.atomic.store (local.get $x) (i64.const 1))
          (i32.wrap_i64 (i64.atomic.load (local.get $y))))
        (else
          (i32.atomic.store8 (local.get $x) (i32.const 1))
          (i32.atomic.load8_u (local.get $y)))))))
  (func (export "sb0") (param $n i32) (result i32)
    (local $i i32) (local $x i32)
    (block $stop (loop $next
      (br_if $stop (i32.eq (local.get $i) (local.get $n)))
      (br_if $stop (i32.eqz (call $barrier (local.get $i))))
      (local.set $x (call $cell (local.get $i)))
      (i32.store (call $r0 (local.get $i))
        (call $sb (local.get $i) (local.get $x) (i32.add (local.get $x) (i32.const 8))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $i))
  (func (export "sb1") (param $n i32) (result i32)
    (local $i i32) (local $x i32)
    (block $stop (loop $next
      (br_if $stop (i32.eq (local.get $i) (local.get $n)))
      (br_if $stop (i32.eqz (call $barrier (local.get $i))))
      (local.set $x (call $cell (local.get $i)))
      (i32.store (call $r1 (local.get $i))
        (call $sb (local.get $i) (i32.add (local.get $x) (i32.const 8)) (local.get $x)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $i))

  ;; LB: r0 := x; y := 1  ||  r1 := y; x := 1. Forbidden: r0 = 1, r1 = 1.
  (func (export "lb0") (param $n i32) (result i32)
    (local $i i32) (local $x i32)
    (block $stop (loop $next
      (br_if $stop (i32.eq (local.get $i) (local.get $n)))
      (br_if $stop (i32.eqz (call $barrier (local.get $i))))
      (local.set $x (call $cell (local.get $i)))
      (i32.store (call $r0 (local.get $i)) (i32.atomic.load (local.get $x)))
      (i32.atomic.store offset=8 (local.get $x) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $i))
  (func (export "lb1") (param $n i32) (result i32)
    (local $i i32) (local $x i32)
    (block $stop (loop $next
      (br_if $stop (i32.eq (local.get $i) (local.get $n)))
      (br_if $stop (i32.eqz (call $barrier (local.get $i))))
      (local.set $x (call $cell (local.get $i)))
      (i32.store (call $r1 (local.get $i)) (i32.atomic.load offset=8 (local.get $x)))
      (i32.atomic.store (local.get $x) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $i))
)
