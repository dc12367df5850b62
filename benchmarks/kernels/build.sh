#!/usr/bin/env bash
# Builds the C kernels of the folder it is called from: kernels/ here, and programs/kernels/, whose
# build.sh links to this one (the programs group's kernels, whose loops live in main).
#   build.sh wasm        <name>.wasm beside the sources, committed so that running the benchmarks
#                        needs no clang (needs: apt-get install -y clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32)
#   build.sh native DIR  DIR/<name>, native executables for the "native" column (needs gcc); one
#                        already newer than its source is kept
# After changing a kernel, rebuild both and regenerate <name>.stdout.expected from the native build.
# The wasm build compiles and links in two steps: a clang link step given -O would run binaryen's
# wasm-opt when it is installed, making the output depend on the machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The kernels of this folder that are also built with -msimd128 (kernels/ only).
if [ "$(basename "$here")" = kernels ] && [ "$(basename "$(dirname "$here")")" = benchmarks ]; then
    SIMD_KERNELS="chase matmul mix nbody"
fi

case "${1:-}" in
wasm)
    objects="$(mktemp -d)"
    trap 'rm -rf "$objects"' EXIT
    for src in "$here"/*.c; do
        name="$(basename "$src" .c)"
        clang-16 --target=wasm32-wasi -O2 -c "$src" -o "$objects/$name.o"
        clang-16 --target=wasm32-wasi -s "$objects/$name.o" -lm -o "$here/$name.wasm"
    done
    # The kernels clang vectorises are built a second time with SIMD, as <name>-simd.wasm: the
    # benchmarks compare both builds (same output, same native build).
    for name in ${SIMD_KERNELS:-}; do
        clang-16 --target=wasm32-wasi -O2 -msimd128 -c "$here/$name.c" -o "$objects/$name-simd.o"
        clang-16 --target=wasm32-wasi -s "$objects/$name-simd.o" -lm -o "$here/$name-simd.wasm"
    done
    ;;
native)
    out="${2:?usage: build.sh native DIR}"
    mkdir -p "$out"
    for src in "$here"/*.c; do
        name="$(basename "$src" .c)"
        if [ ! "$out/$name" -nt "$src" ]; then
            gcc -O2 "$src" -lm -o "$out/$name"
        fi
    done
    ;;
*)
    echo "usage: build.sh wasm | build.sh native DIR" >&2
    exit 2
    ;;
esac
