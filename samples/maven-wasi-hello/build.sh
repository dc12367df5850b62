#!/bin/sh
# Rebuilds src/main/wasm/hello.wasm from src/main/c/hello.c with Debian's clang-16 and wasi-libc
# (apt-get install -y clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32). Compiling and linking
# are separate steps because a link step given -O runs binaryen's wasm-opt when it is installed,
# which would make the output machine-dependent.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
clang-16 --target=wasm32-wasi -O2 -c src/main/c/hello.c -o "$work/hello.o"
clang-16 --target=wasm32-wasi -s "$work/hello.o" -o src/main/wasm/hello.wasm
