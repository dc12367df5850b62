;; A WASI command that imports from wasi_unstable (snapshot 0) and wasi_snapshot_preview1 at
;; once and checks the snapshot 0 functions whose ABI differs from preview 1's, byte for byte:
;; it prints one line per check that passes, and on the first that fails "FAIL: " and that line,
;; then exits with status 1 through snapshot 0's proc_exit. Run it with a directory preopened as fd 3.
(module
  (import "wasi_unstable" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (import "wasi_unstable" "path_filestat_get"
    (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_unstable" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $p1_fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $p1_fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $p1_fd_close (param i32) (result i32)))
  (memory (export "memory") 1)

  ;; 0: iovec, 8: nwritten or nread, 16: newoffset, 24: the opened fd, 28: nevents,
  ;; 64: filestat (64 bytes, filled with 0xff first), 128: subscription (56 bytes), 192: event,
  ;; 256: read buffer, 512: the strings.
  (data (i32.const 512) "data.txt")
  (data (i32.const 528) "hello world")
  (data (i32.const 544) "\0a")
  (data (i32.const 560) "FAIL: ")
  (data (i32.const 576) "path_open: creates the file\0a")
  (data (i32.const 608) "fd_write: writes 11 bytes\0a")
  (data (i32.const 640) "fd_seek: whence 2 is set\0a")
  (data (i32.const 672) "fd_seek: whence 0 is cur\0a")
  (data (i32.const 704) "fd_seek: whence 1 is end\0a")
  (data (i32.const 736) "fd_read (preview 1): reads what snapshot 0 wrote\0a")
  (data (i32.const 800) "fd_filestat_get: type at 16, nlink at 20, size at 24\0a")
  (data (i32.const 864) "path_filestat_get: size at 24, nothing written past 56 bytes\0a")
  (data (i32.const 928) "poll_oneoff: a 56-byte clock subscription fires once\0a")
  (data (i32.const 992) "fd_close: one descriptor table for both modules\0a")

  ;; Writes len bytes at ptr to stdout with preview 1's fd_write.
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $p1_fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; Prints the message when ok holds, else "FAIL: " and the message, and exits with status 1.
  (func $check (param $ok i32) (param $ptr i32) (param $len i32)
    (if (i32.eqz (local.get $ok))
      (then
        (call $print (i32.const 560) (i32.const 6))
        (call $print (local.get $ptr) (local.get $len))
        (call $proc_exit (i32.const 1))))
    (call $print (local.get $ptr) (local.get $len)))

  (func $seek (param $offset i64) (param $whence i32) (result i32)
    (i32.and
      (i32.eqz (call $fd_seek (i32.load (i32.const 24)) (local.get $offset) (local.get $whence) (i32.const 16)))
      (i64.eq (i64.load (i32.const 16)) (i64.const 6))))

  (func (export "_start")
    ;; oflags creat|trunc; rights fd_read|fd_seek|fd_tell|fd_write|fd_filestat_get.
    (call $check
      (i32.eqz (call $path_open (i32.const 3) (i32.const 0) (i32.const 512) (i32.const 8) (i32.const 9)
        (i64.const 0x200066) (i64.const 0) (i32.const 0) (i32.const 24)))
      (i32.const 576) (i32.const 28))

    (i32.store (i32.const 0) (i32.const 528))
    (i32.store (i32.const 4) (i32.const 11))
    (call $check
      (i32.and
        (i32.eqz (call $fd_write (i32.load (i32.const 24)) (i32.const 0) (i32.const 1) (i32.const 8)))
        (i32.eq (i32.load (i32.const 8)) (i32.const 11)))
      (i32.const 608) (i32.const 26))

    (call $check (call $seek (i64.const 6) (i32.const 2)) (i32.const 640) (i32.const 25))
    (call $check (call $seek (i64.const 0) (i32.const 0)) (i32.const 672) (i32.const 25))
    (call $check (call $seek (i64.const -5) (i32.const 1)) (i32.const 704) (i32.const 25))

    (i32.store (i32.const 0) (i32.const 256))
    (i32.store (i32.const 4) (i32.const 16))
    (call $check
      (i32.and
        (i32.eqz (call $p1_fd_read (i32.load (i32.const 24)) (i32.const 0) (i32.const 1) (i32.const 8)))
        (i32.and
          (i32.eq (i32.load (i32.const 8)) (i32.const 5))
          (i64.eq (i64.load (i32.const 256)) (i64.const 0x646c726f77))))
      (i32.const 736) (i32.const 49))

    (memory.fill (i32.const 64) (i32.const 0xff) (i32.const 64))
    (call $check
      (i32.and
        (i32.eqz (call $fd_filestat_get (i32.load (i32.const 24)) (i32.const 64)))
        (i32.and
          (i32.and
            (i32.eq (i32.load8_u (i32.const 80)) (i32.const 4))
            (i32.eqz (i32.load16_u (i32.const 82))))
          (i32.and
            (i32.eq (i32.load (i32.const 84)) (i32.const 1))
            (i64.eq (i64.load (i32.const 88)) (i64.const 11)))))
      (i32.const 800) (i32.const 53))

    (memory.fill (i32.const 64) (i32.const 0xff) (i32.const 64))
    (call $check
      (i32.and
        (i32.eqz (call $path_filestat_get (i32.const 3) (i32.const 0) (i32.const 512) (i32.const 8) (i32.const 64)))
        (i32.and
          (i64.eq (i64.load (i32.const 88)) (i64.const 11))
          (i64.eq (i64.load (i32.const 120)) (i64.const -1))))
      (i32.const 864) (i32.const 61))

    ;; userdata, eventtype clock, identifier, clockid monotonic, timeout 1 ms, precision, flags.
    (i64.store (i32.const 128) (i64.const 0x77))
    (i64.store (i32.const 136) (i64.const 0))
    (i64.store (i32.const 144) (i64.const 0xdead))
    (i64.store (i32.const 152) (i64.const 1))
    (i64.store (i32.const 160) (i64.const 1000000))
    (i64.store (i32.const 168) (i64.const 0))
    (i64.store (i32.const 176) (i64.const 0))
    (call $check
      (i32.and
        (i32.eqz (call $poll_oneoff (i32.const 128) (i32.const 192) (i32.const 1) (i32.const 28)))
        (i32.and
          (i32.eq (i32.load (i32.const 28)) (i32.const 1))
          (i32.and
            (i64.eq (i64.load (i32.const 192)) (i64.const 0x77))
            (i32.eqz (i32.load (i32.const 200))))))
      (i32.const 928) (i32.const 53))

    (call $check
      (i32.and
        (i32.eqz (call $fd_close (i32.load (i32.const 24))))
        (i32.eq (call $p1_fd_close (i32.load (i32.const 24))) (i32.const 8)))
      (i32.const 992) (i32.const 48)))
)
