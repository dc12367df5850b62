;; A library module: its export calls a function the embedding Java code supplies, which no WASI
;; host provides. Built with: wat2wasm host-double.wat -o host-double.wasm
(module
  (import "env" "double" (func $double (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
  (func (export "quadruple") (param i32) (result i32)
    (call $double (call $double (local.get 0)))))
