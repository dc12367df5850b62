#!/bin/sh
# Rebuilds worker.wasm from worker.c with Debian's clang-16 and lld-16, freestanding (no libc):
# a library with no entry point, exporting its functions and its memory.
set -e
cd "$(dirname "$0")"
clang-16 --target=wasm32 -O2 -nostdlib -c worker.c -o worker.o
wasm-ld-16 --no-entry --export-dynamic --allow-undefined -z stack-size=65536 worker.o -o worker.wasm
rm worker.o
