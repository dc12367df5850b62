#!/usr/bin/env bash
# Builds the SQLite shell from the amalgamation that the npm package sqlite3 bundles
# (sqlite3@6.0.1 ships deps/sqlite-autoconf-3520000.tar.gz, SQLite 3.52.0).
#   build.sh wasm        sqlite3.wasm here (committed), with clang-16 and wasi-libc
#                        (needs: apt-get install -y clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32)
#   build.sh native DIR  DIR/sqlite3, for the host with gcc, from the same sources and options
# Both need npm to fetch the package (once, into SQLITE_SOURCES, default benchmarks/target/sqlite);
# its checksum is verified, so every build starts from the same bytes.
# The wasm build compiles and links in two steps: a clang link step given -O would run binaryen's
# wasm-opt when it is installed, making the output depend on the machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sources="${SQLITE_SOURCES:-$here/../../target/sqlite}"
package=sqlite3@6.0.1
package_sha256=ab8d044a93e05bd031d7ea75547c7fa60387cdc259d27f93c0e3e2832c4b1df9
autoconf=sqlite-autoconf-3520000

# The shell as SQLite's own build makes it, less what WASI lacks: threads and loadable extensions.
options=(-O2 -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION)

unpack() {
    if [ -f "$sources/$autoconf/sqlite3.c" ]; then
        return
    fi
    mkdir -p "$sources"
    (cd "$sources" && npm pack --silent "$package" >/dev/null)
    tarball="$sources/${package/@/-}.tgz"
    echo "$package_sha256  $tarball" | sha256sum --check --quiet
    tar -xzf "$tarball" -C "$sources" "package/deps/$autoconf.tar.gz"
    tar -xzf "$sources/package/deps/$autoconf.tar.gz" -C "$sources"
}

case "${1:-}" in
wasm)
    unpack
    src="$sources/$autoconf"
    objects="$(mktemp -d)"
    trap 'rm -rf "$objects"' EXIT
    # wasi-libc keeps signal(), clock() and getpid() behind these emulation switches, and
    # leaves out chmod, realpath and system altogether (wasi_missing.c).
    wasi=(--target=wasm32-wasi -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_GETPID)
    clang-16 "${wasi[@]}" "${options[@]}" -c "$src/sqlite3.c" -o "$objects/sqlite3.o"
    clang-16 "${wasi[@]}" "${options[@]}" -include "$here/wasi_missing.h" -c "$src/shell.c" -o "$objects/shell.o"
    clang-16 "${wasi[@]}" "${options[@]}" -c "$here/wasi_missing.c" -o "$objects/wasi_missing.o"
    clang-16 --target=wasm32-wasi -s "$objects/shell.o" "$objects/sqlite3.o" "$objects/wasi_missing.o" \
        -lwasi-emulated-signal -lwasi-emulated-process-clocks -lwasi-emulated-getpid -o "$here/sqlite3.wasm"
    ;;
native)
    out="${2:?usage: build.sh native DIR}"
    if [ -x "$out/sqlite3" ] && [ "$out/sqlite3" -nt "$here/build.sh" ]; then
        exit 0
    fi
    unpack
    src="$sources/$autoconf"
    mkdir -p "$out"
    gcc "${options[@]}" "$src/shell.c" "$src/sqlite3.c" -lm -o "$out/sqlite3"
    ;;
*)
    echo "usage: build.sh wasm | build.sh native DIR" >&2
    exit 2
    ;;
esac
