;; A module whose inputs and outputs are functions the host implements: it reads a sensor,
;; logs messages that it keeps in its own memory, and returns a summary of several readings.
(module $sensor
  ;; The host's clock and sensor, and its log, which reads the message from this module's memory.
  (import "host" "read-sensor" (func $read_sensor (param $channel i32) (result f64)))
  (import "host" "log" (func $log (param $ptr i32) (param $len i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "sampling started")
  (data (i32.const 16) "sampling done")

  ;; Samples channel `channel` `count` times; returns the minimum and the maximum.
  (func (export "min-max") (param $channel i32) (param $count i32) (result f64 f64)
    (local $min f64) (local $max f64) (local $value f64) (local $i i32)
    (call $log (i32.const 0) (i32.const 16))
    (local.set $min (f64.const inf))
    (local.set $max (f64.const -inf))
    (block $done
      (loop $sample
        (br_if $done (i32.ge_s (local.get $i) (local.get $count)))
        (local.set $value (call $read_sensor (local.get $channel)))
        (local.set $min (f64.min (local.get $min) (local.get $value)))
        (local.set $max (f64.max (local.get $max) (local.get $value)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sample)))
    (call $log (i32.const 16) (i32.const 13))
    (local.get $min)
    (local.get $max)))
