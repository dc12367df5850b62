;; Imports a function no WASI host provides.
(module
  (import "env" "missing" (func))
  (func (export "_start")))
