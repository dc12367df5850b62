#!/bin/sh
# Rebuilds poll-never-ready.wasm, open-until-emfile.wasm, grow-memory.wasm and isatty.wasm with Debian's clang-16, lld-16 and wasi-libc.
set -e
cd "$(dirname "$0")"
for p in poll-never-ready open-until-emfile grow-memory isatty; do
    clang-16 --target=wasm32-wasi -O2 -c $p.c -o $p.o
    clang-16 --target=wasm32-wasi -s $p.o -o $p.wasm
    rm $p.o
done
