#!/usr/bin/env bash
# Runs MemoryAccessBenchmark: each access strategy in a JVM of its own, in each tier (the interpreter
# on a 64th of the work), and prints milliseconds per kernel as a tab-separated table. With `loops`
# it runs LoopAccessBenchmark instead: matmul's multiply as generated code runs it, with each bounds
# check, segment source, loop latch and placement in each tier, in thread CPU ms per round.
#   benchmarks/access.sh [loops]    # after: mvn -Pbench -pl benchmarks -am package -DskipTests
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../scripts/find-jdk.sh
source "$here/../scripts/find-jdk.sh"
classes="$here/target/classes"
[ -d "$classes/dev/wasm2jvm/bench/access" ] || (cd "$here/.." && mvn -q -B -Pbench -pl benchmarks -am package -DskipTests) >&2
if [ "${1:-}" = loops ]; then
    printf 'tier\tcheck\tsegment\tlatch\tplace\tms per round\n'
    for tier in "interpreter|-Xint|1 128" "C1|-XX:TieredStopAtLevel=1|6 512" "C2|-XX:-TieredCompilation|10 512" "tiered||10 512"; do
        # The rounds and the matrices' order: the interpreter multiplies 128 x 128, a 64th of the work.
        IFS="|" read -r name flag work <<<"$tier"
        for variant in "int field ltgt" "int field ne" "int local ltgt" "int local ne" \
                       "long field ltgt" "long field ne" "long local ltgt" "long local ne"; do
            for place in main called; do
                # shellcheck disable=SC2086
                row=$("$JAVA_HOME/bin/java" $flag --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
                    -cp "$classes:$here/target/lib/*" dev.wasm2jvm.bench.access.LoopAccessBenchmark \
                    $variant "$place" $work 2>/dev/null)
                printf '%s\t%s\t%s\t%s\n' "$name" "${variant// /$'\t'}" "$place" "$row"
            done
        done
    done
    exit 0
fi
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
