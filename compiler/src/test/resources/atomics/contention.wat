;; Read-modify-writes that several threads apply to the same locations at once, and a ping-pong of
;; two threads through memory.atomic.wait32 and notify.
;; Build: wat2wasm --enable-threads contention.wat
(module
  ;; Imported, so that each thread's instance shares it: an instance runs on one thread at a time.
  (import "env" "mem" (memory 1 1 shared))
  (export "mem" (memory 0))

  ;; Adds 1 to the i32 at 0, n times.
  (func (export "add32") (param $n i32)
    (loop $next
      (if (local.get $n) (then
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))))

  ;; Adds 1 to the i64 at 8 and subtracts 1 from the i64 at 16, n times.
  (func (export "add64") (param $n i32)
    (loop $next
      (if (local.get $n) (then
        (drop (i64.atomic.rmw.add (i32.const 8) (i64.const 1)))
        (drop (i64.atomic.rmw.sub (i32.const 16) (i64.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))))

  ;; Adds 1 to halfword $lane (0 or 1) of the word at 24, n times: lanes share one word.
  (func (export "add16") (param $lane i32) (param $n i32)
    (loop $next
      (if (local.get $n) (then
        (drop (i32.atomic.rmw16.add_u offset=24 (i32.shl (local.get $lane) (i32.const 1)) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))))

  ;; Adds 1 to byte $lane (0 to 3) of the word at 28, n times; the bytes wrap at 256.
  (func (export "add8") (param $lane i32) (param $n i32)
    (loop $next
      (if (local.get $n) (then
        (drop (i64.atomic.rmw8.add_u offset=28 (local.get $lane) (i64.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))))

  ;; Adds 1 to the i32 at 32, n times, by a compare-exchange loop.
  (func (export "casAdd") (param $n i32)
    (local $old i32)
    (loop $next
      (if (local.get $n) (then
        (local.set $old (i32.atomic.load (i32.const 32)))
        (if (i32.eq (local.get $old)
              (i32.atomic.rmw.cmpxchg (i32.const 32) (local.get $old) (i32.add (local.get $old) (i32.const 1))))
          (then (local.set $n (i32.sub (local.get $n) (i32.const 1)))))
        (br $next)))))

  ;; Plays $rounds rounds of ping-pong as player $me (0 or 1): waits until the ball at 64 is $me's,
  ;; then passes it to the other player and wakes them.
  (func (export "pingPong") (param $me i32) (param $rounds i32)
    (local $ball i32)
    (loop $round
      (if (local.get $rounds) (then
        (loop $await
          (local.set $ball (i32.atomic.load (i32.const 64)))
          (if (i32.ne (local.get $ball) (local.get $me)) (then
            (drop (memory.atomic.wait32 (i32.const 64) (local.get $ball) (i64.const -1)))
            (br $await))))
        (i32.atomic.store (i32.const 64) (i32.sub (i32.const 1) (local.get $me)))
        (drop (memory.atomic.notify (i32.const 64) (i32.const 1)))
        (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1)))
        (br $round)))))
)
