#!/bin/sh
# Rebuilds the SIMD test modules from their text (wabt's wat2wasm, 1.0.32 or later).
set -e
cd "$(dirname "$0")"
wat2wasm vectors.wat -o vectors.wasm
