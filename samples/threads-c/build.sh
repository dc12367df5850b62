#!/usr/bin/env bash
# Builds sum.wasm with Debian's clang-16 and wasm-ld-16 (no libc), for the wasi-threads ABI:
#   apt-get install -y clang-16 lld-16 libclang-rt-16-dev-wasm32
# (compiler-rt's builtins provide the 128-bit multiply that 64-bit division by 10 compiles to). The memory is imported and shared, wasi_thread_start is exported, and the data segments are
# initialised once by the linker's __wasm_init_memory start function.
set -euo pipefail
cd "$(dirname "$0")"
CFLAGS="--target=wasm32 -O2 -matomics -mbulk-memory -nostdlib"
clang-16 $CFLAGS -c sum.c -o sum.o
clang-16 $CFLAGS -c thread_start.s -o thread_start.o
wasm-ld-16 --shared-memory --import-memory --export-memory \
  --initial-memory=1048576 --max-memory=16777216 -z stack-size=65536 \
  --export=wasi_thread_start --entry=_start sum.o thread_start.o \
  /usr/lib/llvm-16/lib/clang/16/lib/wasi/libclang_rt.builtins-wasm32.a -o sum.wasm
rm sum.o thread_start.o
