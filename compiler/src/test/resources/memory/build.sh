#!/bin/sh
# Rebuilds the modules of this directory: the .wat ones with wabt's wat2wasm, the C one with
# Debian's clang-16, lld-16 and wasi-libc.
set -e
cd "$(dirname "$0")"
for m in grow bounded; do
    wat2wasm $m.wat -o $m.wasm
done
clang-16 --target=wasm32-wasi -O2 -c grow-until-failure.c -o grow-until-failure.o
clang-16 --target=wasm32-wasi -s grow-until-failure.o -o grow-until-failure.wasm
rm grow-until-failure.o
