;; A memory of 4 pages declared to grow to 6 at most, for Imports.maxMemory.
;; Built by build.sh.
(module
  (memory (export "memory") 4 6)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
