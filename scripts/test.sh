#!/usr/bin/env bash
# Runs every test of the project: the unit tests of each module, the WebAssembly spec conformance
# suites and the WASI test suite (spec-tests), the short differential fuzzing run against node and
# the random WASI call sequences (fuzz), the benchmark harness's own tests (in its profile, which
# also compiles the benchmarks against this checkout), checks the artifacts `mvn install` would
# publish (scripts/check-artifacts.sh), then builds and runs the Maven samples against this checkout
# (samples/build-samples.sh). Finds a JDK 22 or later by itself; extra arguments go to Maven. The
# conformance table is written to spec-tests/target/conformance.tsv. The fuzz module's module
# generator (binaryen, pinned in fuzz/package-lock.json) is installed with npm first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/find-jdk.sh" || exit 1
if [ "$(wasm2jvm_jdk_version "$JAVA_HOME")" -ge 24 ]; then
    # Maven 3.8 uses sun.misc.Unsafe, which JDK 24 and later warn about: noise, not a failure.
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
cd "$root"
fuzz/npm-ci.sh
mvn -B --no-transfer-progress verify "$@"
mvn -B --no-transfer-progress -Pbench -pl benchmarks -am test -Dtest='dev.wasm2jvm.bench.*Test' \
    -Dsurefire.failIfNoSpecifiedTests=false "$@"
scripts/check-artifacts.sh "$@"
samples/build-samples.sh "$@"
