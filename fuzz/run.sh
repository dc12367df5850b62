#!/usr/bin/env bash
# The long differential fuzzing run: builds the fuzz module's test classes (and what they need),
# installs the pinned binaryen when it is missing, then runs dev.wasm2jvm.fuzz.Campaign, which
# prints one line per module and the figures, writes each disagreeing module with its transcripts
# to fuzz/target/fuzz-failures (or --failures DIR) and exits with status 1 when any disagreed.
#   fuzz/run.sh --modules 10000 --seed 1000 [--simd] [--no-c2] [--timeout SECONDS] [--failures DIR]
#   fuzz/run.sh [--simd] --wasm FILE...            (reruns given modules; --simd for SIMD ones)
#   fuzz/run.sh wasi --sequences 1000 --calls 200 --seed 1   (random WASI call sequences)
#   fuzz/run.sh mutants --mutants 20000 --seed 1             (spec modules with random byte edits)
# FUZZ_JAVA_OPTS adds options to the campaign's JVM (the in-process, tiered one); FUZZ_NO_BUILD=1
# skips the Maven build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=../scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
if [ "$(wasm2jvm_jdk_version "$JAVA_HOME")" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
"$here/npm-ci.sh"
if [ -z "${FUZZ_NO_BUILD:-}" ]; then
    (cd "$root" && mvn -q -B --no-transfer-progress -pl fuzz -am test-compile)
fi
main=dev.wasm2jvm.fuzz.Campaign
if [ "${1:-}" = wasi ]; then
    main=dev.wasm2jvm.fuzz.WasiSequenceFuzzer
    shift
elif [ "${1:-}" = mutants ]; then
    main=dev.wasm2jvm.fuzz.MutatedModuleFuzzer
    shift
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dwasm2jvm.fuzz.dir="$here" ${FUZZ_JAVA_OPTS:-} \
    -cp "$here/target/test-classes:$(cat "$here/target/classpath.txt")" "$main" "$@"
