#!/bin/sh
# Rebuilds backtrace.wasm, a WASI command of two compilation units that traps in the second
# (ratio.c), with Debian's clang-16, lld-16 and wasi-libc; -O0 keeps divide a function of its own, so it has a frame.
set -e
cd "$(dirname "$0")"
clang-16 --target=wasm32-wasi -O0 -g -fdebug-prefix-map="$PWD"=. main.c ratio.c -o backtrace.wasm
