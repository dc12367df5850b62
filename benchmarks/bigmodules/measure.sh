#!/usr/bin/env bash
# Measures how wasm2jvm copes with big modules: for the Ruby 3.3 WASI interpreter (fetch-ruby.sh)
# and a generated module of 50,000 functions and 20,000 data segments (SyntheticModule), it
# compiles each with the CLI in a JVM limited to -Xmx1536m and prints, as a Markdown table:
#   compile s      wall-clock time of `wasm2jvm compile` (whole process, JVM start included)
#   CPU s          the CPU time of that process, all threads (JIT and GC included)
#   code MB/s      the module's code section size over the wall-clock time
#   peak heap MB   the most heap in use at any GC of the compilation (-Xlog:gc)
#   max RSS MB     the compiling process's peak resident memory (GNU time)
#   jar MB         the jar written; largest class KB: its largest class file
#   entry ms       from starting `java` on the jar to the first wasm instruction of the entry point
#                  (_initialize or _start), the median of RUNS runs (EntryClock)
#   entry end ms   from starting `java` to the entry point's return, same runs
#   entry CPU ms   the CPU time of the process (all threads) when it calls the entry point, median
# Usage: benchmarks/bigmodules/measure.sh CLI-JAR BENCH-CLASSES [RUNS]   (run.sh bigmodules calls it)
# Needs wabt (wasm-objdump), unzip, bc, GNU time and, for Ruby, npm.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cli="$1"
classes="$2"
runs="${3:-5}"
out="$(dirname "$here")/target/bigmodules"
mkdir -p "$out"
java="$JAVA_HOME/bin/java"
command -v /usr/bin/time >/dev/null || { echo "measure.sh: GNU time (/usr/bin/time) is needed" >&2; exit 1; }

ruby=$("$here/fetch-ruby.sh" "$out")
synthetic="$out/synthetic-50000.wasm"
[ -f "$synthetic" ] || "$java" -cp "$classes" dev.wasm2jvm.bench.SyntheticModule "$synthetic" 50000 20000

code_bytes() {
    wasm-objdump -h "$1" | sed -n 's/.* Code start=.*(size=\(0x[0-9a-f]*\)).*/\1/p' | xargs printf '%d\n'
}

median() {
    sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}

# name, module, compile options, entry point, stubbed import modules
measure() {
    local name=$1 wasm=$2 options=$3 entry=$4 stubs=$5
    local jar="$out/$name.jar" gclog="$out/$name.gc.log" timing="$out/$name.time"
    rm -f "$jar"
    # shellcheck disable=SC2086
    if ! /usr/bin/time -o "$timing" -f '%e %U %S %M' "$java" -Xmx1536m -Xlog:gc:file="$gclog" -jar "$cli" compile $options "$wasm" -o "$jar" >&2; then
        printf '| %s | failed: see the error above (compile with -Xmx1536m) | | | | | | | | | | |\n' "$name"
        return
    fi
    read -r seconds user system rss < <(tail -1 "$timing")
    local heap
    heap=$(sed -n 's/.* \([0-9]*\)M->[0-9]*M([0-9]*M).*/\1/p' "$gclog" | sort -n | tail -1)
    local code
    code=$(code_bytes "$wasm")
    local largest
    largest=$(unzip -Z -l "$jar" | awk '$NF ~ /\.class$/ {print $4}' | sort -n | tail -1)
    local entered=() returned=() cpu=()
    for _ in $(seq "$runs"); do
        local start result
        start=$(date +%s%6N)
        # shellcheck disable=SC2086
        result=$("$java" -cp "$jar:$classes" dev.wasm2jvm.bench.EntryClock wasm.Module "$entry" $stubs)
        entered+=($(( $(echo "$result" | sed -n 's/^entered //p') - start )))
        returned+=($(( $(echo "$result" | sed -n 's/^returned //p') - start )))
        cpu+=($(echo "$result" | sed -n 's/^cpu //p'))
    done
    local entry_ms end_ms cpu_ms
    entry_ms=$(printf '%s\n' "${entered[@]}" | median)
    end_ms=$(printf '%s\n' "${returned[@]}" | median)
    cpu_ms=$(printf '%s\n' "${cpu[@]}" | median)
    printf '| %s | %.1f | %.1f | %.1f | %.2f | %s | %d | %.1f | %d | %d | %d | %d |\n' "$name" "$(echo "$code / 1000000" | bc -l)" \
        "$seconds" "$(echo "$user + $system" | bc -l)" "$(echo "$code / 1000000 / $seconds" | bc -l)" "${heap:-?}" "$((rss / 1024))" \
        "$(echo "$(stat -c %s "$jar") / 1000000" | bc -l)" "$((largest / 1024))" "$((entry_ms / 1000))" "$((end_ms / 1000))" "$((cpu_ms / 1000))"
}

echo "| module | code MB | compile s | CPU s | code MB/s | peak heap MB | max RSS MB | jar MB | largest class KB | entry ms | entry end ms | entry CPU ms |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
measure ruby-3.3 "$ruby" --library _initialize "rb-js-abi-host canonical_abi"
measure synthetic-50k "$synthetic" "" _start ""
