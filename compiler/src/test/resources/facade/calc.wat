;; The typed API's test module: exports of every kind, names that need mapping, host functions
;; with one and with several results, a reactor's _initialize, and parameter names to make legal.
;; Build: wat2wasm --debug-names calc.wat
(module $calc
  (import "env" "log" (func $log (param $value i32)))
  (import "env" "divmod" (func $divmod (param i32 i32) (result i32 i32)))
  (memory (export "memory") 1)
  (global $counter (export "counter") (mut i32) (i32.const 7))
  (table (export "table") 2 funcref)
  (func (export "_initialize") (global.set $counter (i32.const 9)))
  (func (export "add-two") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))
  (func (export "swap") (param i64 f64) (result f64 i64) (local.get 1) (local.get 0))
  (func (export "class") (result f32) (f32.const 1.5))
  (func (export "exports") (result i32) (i32.const 1))
  (func (export "ident") (param externref) (result externref) (local.get 0))
  (func (export "log_twice") (param i32) (call $log (local.get 0)) (call $log (local.get 0)))
  (func (export "divmod_sum") (param i32 i32) (result i32)
    (i32.add (call $divmod (local.get 0) (local.get 1))))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  ;; A keyword, a name another parameter's default takes, no name, and a name Java does not allow.
  (func (export "names") (param $class i32) (param $p2 i32) (param i32) (param $x-y i64) (result i32)
    (local.get $p2)))
