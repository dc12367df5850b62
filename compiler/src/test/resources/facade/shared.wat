;; Imports its memory, so it is instantiated with a Memory in the runtime's Imports.
(module
  (import "env" "memory" (memory 1))
  (func (export "first") (result i32) (i32.load (i32.const 0))))
