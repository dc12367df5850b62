#!/bin/sh
# Rebuilds src/main/wasm/mathlib.wasm from src/main/c/mathlib.c with Debian's clang-16 and lld-16
# (apt-get install -y clang-16 lld-16). A library, not a WASI program: no libc, no entry point, the
# exports named in the source. Compiling and linking are separate steps because a link step given
# -O runs binaryen's wasm-opt when it is installed, which would make the output machine-dependent.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
clang-16 --target=wasm32 -O2 -nostdlib -c src/main/c/mathlib.c -o "$work/mathlib.o"
clang-16 --target=wasm32 -nostdlib -Wl,--no-entry -Wl,--strip-all "$work/mathlib.o" -o src/main/wasm/mathlib.wasm
