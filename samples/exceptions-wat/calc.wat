;; calc: evaluates the integer expressions given as arguments (+ - * / parentheses, unary minus)
;; and prints each value, or why it has none. Errors are WebAssembly exceptions: the recursive
;; descent parser throws $syntax_error or $division_by_zero from however deep it is, and _start
;; catches them with try_table, one expression at a time. A legacy try/catch_all/rethrow keeps the
;; nesting depth right while an exception unwinds through a parenthesis, and proc_exit, called
;; inside a catch_all, ends the program all the same: exiting is no exception.
;;
;;   ./wasm2jvm run samples/exceptions-wat/calc.wat '1+2*3' '(1+2' ...
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))

  ;; 0: an iovec and fd_write's count; 16..48: digits of a number; 56, 60: argc and the size of
  ;; the arguments; 64..: the messages; 1024: argv; 2048..: the arguments' bytes.
  (memory (export "memory") 1)
  (data (i32.const 64) " = ")
  (data (i32.const 80) ": division by zero\n")
  (data (i32.const 112) ": unexpected character at column ")
  (data (i32.const 160) "\n")
  (data (i32.const 176) "deepest nesting: ")

  ;; The column (from 1) where the expression stops making sense.
  (tag $syntax_error (param i32))
  (tag $division_by_zero)

  ;; The parser's position, the end of the expression and its start.
  (global $pos (mut i32) (i32.const 0))
  (global $end (mut i32) (i32.const 0))
  (global $start (mut i32) (i32.const 0))
  ;; How many parentheses are open, and the most that ever were.
  (global $depth (mut i32) (i32.const 0))
  (global $deepest (mut i32) (i32.const 0))

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))

  ;; Digits are made from the negative value, which every i64 has.
  (func $print_i64 (param $v i64) (local $p i32) (local $negative i32)
    (local.set $p (i32.const 48))
    (local.set $negative (i64.lt_s (local.get $v) (i64.const 0)))
    (if (i32.eqz (local.get $negative)) (then (local.set $v (i64.sub (i64.const 0) (local.get $v)))))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.sub (i64.const 48) (i64.rem_s (local.get $v) (i64.const 10))))
      (local.set $v (i64.div_s (local.get $v) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $v) (i64.const 0))))
    (if (local.get $negative)
      (then
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (i32.store8 (local.get $p) (i32.const 45))))
    (call $write (local.get $p) (i32.sub (i32.const 48) (local.get $p))))

  (func $peek (result i32)
    (if (result i32) (i32.lt_u (global.get $pos) (global.get $end))
      (then (i32.load8_u (global.get $pos)))
      (else (i32.const 0))))

  (func $advance
    (global.set $pos (i32.add (global.get $pos) (i32.const 1))))

  (func $skip_spaces
    (block $done
      (loop $next
        (br_if $done (i32.ne (call $peek) (i32.const 32)))
        (call $advance)
        (br $next))))

  (func $fail
    (throw $syntax_error (i32.add (i32.sub (global.get $pos) (global.get $start)) (i32.const 1))))

  ;; expr := term (('+' | '-') term)*
  (func $expr (result i64) (local $acc i64) (local $c i32)
    (local.set $acc (call $term))
    (block $done
      (loop $next
        (call $skip_spaces)
        (local.set $c (call $peek))
        (if (i32.eq (local.get $c) (i32.const 43))
          (then
            (call $advance)
            (local.set $acc (i64.add (local.get $acc) (call $term)))
            (br $next)))
        (if (i32.eq (local.get $c) (i32.const 45))
          (then
            (call $advance)
            (local.set $acc (i64.sub (local.get $acc) (call $term)))
            (br $next)))))
    (local.get $acc))

  ;; term := factor (('*' | '/') factor)*
  (func $term (result i64) (local $acc i64) (local $c i32) (local $divisor i64)
    (local.set $acc (call $factor))
    (block $done
      (loop $next
        (call $skip_spaces)
        (local.set $c (call $peek))
        (if (i32.eq (local.get $c) (i32.const 42))
          (then
            (call $advance)
            (local.set $acc (i64.mul (local.get $acc) (call $factor)))
            (br $next)))
        (if (i32.eq (local.get $c) (i32.const 47))
          (then
            (call $advance)
            (local.set $divisor (call $factor))
            (if (i64.eqz (local.get $divisor)) (then (throw $division_by_zero)))
            (local.set $acc (i64.div_s (local.get $acc) (local.get $divisor)))
            (br $next)))))
    (local.get $acc))

  ;; factor := '-' factor | '(' expr ')' | digits
  (func $factor (result i64) (local $c i32) (local $v i64) (local $digits i32)
    (call $skip_spaces)
    (local.set $c (call $peek))
    (if (i32.eq (local.get $c) (i32.const 45))
      (then
        (call $advance)
        (return (i64.sub (i64.const 0) (call $factor)))))
    (if (i32.eq (local.get $c) (i32.const 40))
      (then
        (call $advance)
        (return (call $parenthesised))))
    (block $done
      (loop $next
        (local.set $c (i32.sub (call $peek) (i32.const 48)))
        (br_if $done (i32.gt_u (local.get $c) (i32.const 9)))
        (local.set $v (i64.add (i64.mul (local.get $v) (i64.const 10)) (i64.extend_i32_u (local.get $c))))
        (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
        (call $advance)
        (br $next)))
    (if (i32.eqz (local.get $digits)) (then (call $fail)))
    (local.get $v))

  ;; After a '(': the expression and its ')', counted in $depth while they are parsed. The
  ;; catch_all runs when an exception unwinds through, closes the count and rethrows it.
  (func $parenthesised (result i64) (local $v i64)
    (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
    (if (i32.gt_u (global.get $depth) (global.get $deepest))
      (then (global.set $deepest (global.get $depth))))
    (try
      (do
        (local.set $v (call $expr))
        (call $skip_spaces)
        (if (i32.ne (call $peek) (i32.const 41)) (then (call $fail)))
        (call $advance))
      (catch_all
        (global.set $depth (i32.sub (global.get $depth) (i32.const 1)))
        (rethrow 0)))
    (global.set $depth (i32.sub (global.get $depth) (i32.const 1)))
    (local.get $v))

  (func $eval (param $p i32) (param $len i32) (result i64) (local $v i64)
    (global.set $start (local.get $p))
    (global.set $pos (local.get $p))
    (global.set $end (i32.add (local.get $p) (local.get $len)))
    (local.set $v (call $expr))
    (call $skip_spaces)
    (if (i32.lt_u (global.get $pos) (global.get $end)) (then (call $fail)))
    (local.get $v))

  ;; Prints each argument and its value or error; exits with the number of errors.
  (func (export "_start") (local $argc i32) (local $i i32) (local $arg i32) (local $len i32)
                          (local $v i64) (local $column i32) (local $failed i32)
    (drop (call $args_sizes_get (i32.const 56) (i32.const 60)))
    (local.set $argc (i32.load (i32.const 56)))
    (drop (call $args_get (i32.const 1024) (i32.const 2048)))
    (local.set $i (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $argc)))
        (local.set $arg (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $len (call $strlen (local.get $arg)))
        (call $write (local.get $arg) (local.get $len))
        (block $reported
          (block $syntax (result i32)
            (block $division
              (try_table (catch $syntax_error $syntax) (catch $division_by_zero $division)
                (local.set $v (call $eval (local.get $arg) (local.get $len))))
              (call $write (i32.const 64) (i32.const 3))
              (call $print_i64 (local.get $v))
              (call $write (i32.const 160) (i32.const 1))
              (br $reported))
            (call $write (i32.const 80) (i32.const 19))
            (local.set $failed (i32.add (local.get $failed) (i32.const 1)))
            (br $reported))
          (local.set $column)
          (call $write (i32.const 112) (i32.const 33))
          (call $print_i64 (i64.extend_i32_u (local.get $column)))
          (call $write (i32.const 160) (i32.const 1))
          (local.set $failed (i32.add (local.get $failed) (i32.const 1))))
        ;; Every parenthesis the exceptions unwound through was closed by its catch_all.
        (if (global.get $depth) (then (unreachable)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $write (i32.const 176) (i32.const 17))
    (call $print_i64 (i64.extend_i32_u (global.get $deepest)))
    (call $write (i32.const 160) (i32.const 1))
    (block $caught
      (try_table (catch_all $caught)
        (call $proc_exit (local.get $failed))))
    (unreachable)))
