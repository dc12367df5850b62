#!/bin/sh
# Rebuilds hello.wasm with Debian's clang-16, lld-16 and wasi-libc (two steps, so that no wasm-opt
# installed on the machine changes the output).
set -e
cd "$(dirname "$0")"
clang-16 --target=wasm32-wasi -O2 -c hello.c -o hello.o
clang-16 --target=wasm32-wasi -s hello.o -o hello.wasm
rm hello.o
