# wasi_thread_start(tid, start): the entry of every thread the host spawns. It must give the
# thread its own stack before any C code runs, so it is written in assembly: `start` points to the
# thread's struct start (see sum.c), whose first word is the top of its stack and second its TLS
# block.
	.text
	.globaltype __stack_pointer, i32
	.functype __wasm_init_tls (i32) -> ()
	.functype thread_main (i32, i32) -> ()

	.globl wasi_thread_start
	.type wasi_thread_start,@function
wasi_thread_start:
	.functype wasi_thread_start (i32, i32) -> ()
	local.get 1
	i32.load 0
	global.set __stack_pointer
	local.get 1
	i32.load 4
	call __wasm_init_tls
	local.get 0
	local.get 1
	call thread_main
	end_function
