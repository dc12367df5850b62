#!/bin/sh
# Rebuilds the modules of this directory: the .wat ones with wabt's wat2wasm, the C ones with
# Debian's clang-16, lld-16 and wasi-libc (memory64.c freestanding, for the wasm64 target).
set -e
cd "$(dirname "$0")"
for m in grow bounded; do
    wat2wasm $m.wat -o $m.wasm
done
clang-16 --target=wasm32-wasi -O2 -c grow-until-failure.c -o grow-until-failure.o
clang-16 --target=wasm32-wasi -s grow-until-failure.o -o grow-until-failure.wasm
rm grow-until-failure.o
clang-16 --target=wasm64-unknown-unknown -O2 -nostdlib -c memory64.c -o memory64.o
wasm-ld-16 --no-entry -mwasm64 --max-memory=8589934592 -s memory64.o -o memory64.wasm
rm memory64.o
