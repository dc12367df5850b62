#!/bin/sh
# Rebuilds trap.wasm from trap.c with Debian's clang-16 and lld-16 (DWARF 5 line table).
set -e
cd "$(dirname "$0")"
clang-16 --target=wasm32 -nostdlib -O0 -g -gdwarf-5 -fdebug-prefix-map="$PWD"=. -c trap.c -o trap.o
wasm-ld-16 --no-entry trap.o -o trap.wasm
rm trap.o
