#!/usr/bin/env bash
# Runs MemoryAccessBenchmark: each access strategy in a JVM of its own, in each tier (the interpreter
# on a 64th of the work), and prints milliseconds per kernel as a tab-separated table.
#   benchmarks/access.sh            # after: mvn -Pbench -pl benchmarks -am package -DskipTests
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../scripts/find-jdk.sh
source "$here/../scripts/find-jdk.sh"
classes="$here/target/classes"
[ -d "$classes/dev/wasm2jvm/bench/access" ] || (cd "$here/.." && mvn -q -B -Pbench -pl benchmarks -am package -DskipTests) >&2
printf 'tier\tstrategy\tmatmul\tbytes\tchase\n'
for tier in "interpreter|-Xint|small" "C1|-XX:TieredStopAtLevel=1|" "C2|-XX:-TieredCompilation|" "tiered||"; do
    IFS="|" read -r name flag scale <<<"$tier"
    for strategy in varhandle helper helper-varhandle bytebuffer unsafe; do
        # shellcheck disable=SC2086
        row=$("$JAVA_HOME/bin/java" $flag -cp "$classes" dev.wasm2jvm.bench.access.MemoryAccessBenchmark "$strategy" $scale 2>/dev/null \
            | cut -f3 | paste -sd '\t')
        printf '%s\t%s\t%s\n' "$name" "$strategy" "$row"
    done
done
