;; memory.grow and memory.size of an unbounded memory of one page, for Imports.maxMemory.
;; Built by build.sh.
(module
  (memory (export "memory") 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size)))
