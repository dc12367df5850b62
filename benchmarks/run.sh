#!/usr/bin/env bash
# Builds wasm2jvm with the benchmark module (the "bench" profile) and the native C kernels, then
# runs the benchmarks. Arguments go to dev.wasm2jvm.bench.Main (--help lists them); the table is
# printed and written to benchmarks/target/results.md and results.tsv.
#   benchmarks/run.sh --warmup 1 --iterations 3 --only 'sieve|quicksort'
# With "programs" first, runs the programs group instead (whole processes: java -jar, node, native;
# dev.wasm2jvm.bench.ProgramsMain, results in benchmarks/target/programs/), or its compilation check:
#   benchmarks/run.sh programs --only 'sqlite|matmul'
#   benchmarks/run.sh programs --check-compilation
# With "bigmodules" first, measures the compilation and start of big modules (Ruby 3.3 for WASI from
# npm and a generated one; benchmarks/bigmodules/measure.sh says what each column is):
#   benchmarks/run.sh bigmodules [RUNS]
# With "throughput" first, measures compile throughput on one core, in one JVM, round after round
# (dev.wasm2jvm.bench.CompileThroughputMain):
#   benchmarks/run.sh throughput [--rounds N] [--library] MODULE.wasm...
# WASM2JVM_SHARED points at the shared folder holding bench/ (default: ../shared beside the repo);
# BENCH_JAVA_OPTS adds options to the benchmark JVM (e.g. -Xmx4g).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=../scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
shared="${WASM2JVM_SHARED:-$root/../shared}"

# Maven's output goes to stderr: stdout carries the report alone.
(cd "$root" && mvn -q -B --no-transfer-progress -Pbench -pl benchmarks -am package -DskipTests) >&2

if [ "${1:-}" = bigmodules ]; then
    shift
    (cd "$root" && mvn -q -B --no-transfer-progress -DskipTests -Dmaven.source.skip -Dmaven.javadoc.skip -pl cli -am package) >&2
    exec "$here/bigmodules/measure.sh" "$root/cli/target/wasm2jvm-cli.jar" "$here/target/classes" "$@"
fi

if [ "${1:-}" = throughput ]; then
    shift
    exec "$JAVA_HOME/bin/java" -XX:ActiveProcessorCount=1 -Xmx1536m ${BENCH_JAVA_OPTS:-} -cp "$here/target/classes:$here/target/lib/*" \
        dev.wasm2jvm.bench.CompileThroughputMain "$@"
fi

if [ "${1:-}" = programs ]; then
    shift
    # The jars are compiled with the checkout's CLI, and reused while it is the same compiler.
    (cd "$root" && mvn -q -B --no-transfer-progress -DskipTests -Dmaven.source.skip -Dmaven.javadoc.skip -pl cli -am package) >&2
    "$here/programs/kernels/build.sh" native "$here/target/programs/native"
    # SQLite's sources come from npm; without them the native column of its row says why.
    "$here/programs/sqlite/build.sh" native "$here/target/programs/native" \
        || echo "run.sh: no native SQLite shell (see above)" >&2
    cd "$here"
    exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -Dwasm2jvm.shared="$shared" -cp "target/classes:target/lib/*" \
        dev.wasm2jvm.bench.ProgramsMain "$@"
fi

"$here/kernels/build.sh" native "$here/target/native"
cd "$here"
# Deeply recursive guests (ackermann) need more than the default 1 MiB of Java stack. The export
# gives loads and stores the path compiled jars take (their manifest's Add-Exports).
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
    -Xss16m ${BENCH_JAVA_OPTS:-} \
    -Dwasm2jvm.shared="$shared" -cp "target/classes:target/lib/*" dev.wasm2jvm.bench.Main "$@"
