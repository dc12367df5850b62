#!/usr/bin/env bash
# Builds cat.wasm with Debian's clang-16 and wasi-libc:
#   apt-get install -y clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32
# Compiling and linking are separate steps so that the link step does not run wasm-opt, which
# would make the output depend on what is installed. Debug info is stripped but the name section
# is kept, so that trap reports name the C function.
set -euo pipefail
cd "$(dirname "$0")"
clang-16 --target=wasm32-wasi -O2 -c cat.c -o cat.o
clang-16 --target=wasm32-wasi -Wl,--strip-debug cat.o -o cat.wasm
rm cat.o
