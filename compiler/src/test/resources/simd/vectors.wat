;; v128 values everywhere a value type can be: parameters, results, locals, blocks, branches,
;; select, globals (exported and imported), host functions, call_indirect and several results.
(module
  (type $binop (func (param v128 v128) (result v128)))
  (import "host" "twice" (func $twice (param i32 v128) (result v128)))
  (import "host" "base" (global $base v128))
  (table 2 funcref)
  (elem (i32.const 0) $add $sub)
  (memory (export "memory") 1)
  (global $acc (export "acc") (mut v128) (v128.const i32x4 0 0 0 0))
  (global $private (mut v128) (v128.const i64x2 7 9))

  (func $add (export "add") (type $binop) (i32x4.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32x4.sub (local.get 0) (local.get 1)))

  ;; op 0 adds, 1 subtracts, through the table.
  (func (export "apply") (param $op i32) (param $a v128) (param $b v128) (result v128)
    (call_indirect (type $binop) (local.get $a) (local.get $b) (local.get $op)))

  ;; A loop keeping a v128 in a local and on the stack across a branch with a value.
  (func (export "sum_to") (param $n i32) (result v128)
    (local $v v128) (local $i i32)
    (block $done (result v128)
      (loop $next
        (local.set $v (i32x4.add (local.get $v) (i32x4.splat (local.get $i))))
        (br_if $done (local.get $v) (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))
      (unreachable)))

  ;; A block taking and returning v128 values (multi-value), and select.
  (func (export "swap_pick") (param $a v128) (param $b v128) (param $c i32) (result v128 v128)
    (local.get $a) (local.get $b)
    (block (param v128 v128) (result v128 v128)
      (local.set $a) (local.set $b)
      (select (local.get $a) (local.get $b) (local.get $c))
      (local.tee $a (i8x16.add (local.get $a) (local.get $b)))
      (drop)
      (local.get $a)))

  (func (export "host_twice") (param $x v128) (result v128)
    (call $twice (i32.const 3) (local.get $x)))

  (func (export "accumulate") (param $x v128)
    (global.set $acc (i64x2.add (global.get $acc) (local.get $x)))
    (global.set $private (global.get $acc)))

  (func (export "private_plus_base") (result v128)
    (i32x4.add (global.get $private) (global.get $base)))

  ;; Sums n i32 lanes of memory from address 0, four at a time: the kernel whose allocations are checked.
  (func (export "lane_sum") (param $n i32) (result i32)
    (local $v v128) (local $p i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $v (i32x4.add (local.get $v)
          (i32x4.mul (v128.load (local.get $p)) (i32x4.splat (i32.const 3)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))
 
  (func (export "load") (param $address i32) (result v128) (v128.load offset=1 (local.get $address)))
  (func (export "store") (param $address i32) (param $x v128) (v128.store offset=1 (local.get $address) (local.get $x)))
)
