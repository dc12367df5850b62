#!/usr/bin/env bash
# Fetches the Ruby 3.3 interpreter built for WASI (17,490 functions, 11 MB of code, 18,931 data
# segments) from the npm registry into DIR (default benchmarks/target/bigmodules, git-ignored) and
# prints the path of its ruby.wasm. The version is pinned: the benchmark's figures are for it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package=@ruby/3.3-wasm-wasi
version=2.10.1
dir="${1:-$(dirname "$here")/target/bigmodules}"
wasm="$dir/ruby-3.3-wasm-wasi-$version/dist/ruby.wasm"
if [ ! -f "$wasm" ]; then
    mkdir -p "$dir"
    command -v npm >/dev/null || { echo "fetch-ruby.sh: npm is needed to fetch $package" >&2; exit 1; }
    tarball=$(cd "$dir" && npm pack --silent "$package@$version")
    mkdir -p "$dir/ruby-3.3-wasm-wasi-$version"
    tar -xzf "$dir/$tarball" -C "$dir/ruby-3.3-wasm-wasi-$version" --strip-components=1 package/dist/ruby.wasm
    rm -f "$dir/$tarball"
fi
echo "$wasm"
