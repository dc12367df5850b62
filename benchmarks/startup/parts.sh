#!/usr/bin/env bash
# Where a compiled program's fixed start goes, part by part: the same one-line program as plain
# Java on the class path, in a jar, in a jar with a compiled jar's Add-Exports attribute, in a jar
# that makes a first memory segment (MemorySegment.NULL), with both, and the C hello world compiled
# by this checkout. Runs each N times (default 21), interleaved and in alternating order, as whole
# processes with the JVM's default flags, and prints the medians of wall and CPU (user + system)
# time in ms. The figures and what they say: README.md beside this script.
#
#   benchmarks/startup/parts.sh [N]
set -euo pipefail
rounds=${1:-21}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/scripts/find-jdk.sh"
java=$JAVA_HOME/bin/java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/Line.java" <<'EOF'
public class Line { public static void main(String[] args) { System.out.println("Hello, world!"); } }
EOF
cat > "$work/Segment.java" <<'EOF'
public class Segment {
    public static void main(String[] args) {
        // Any memory segment initialises the FFM API's session class, as every compiled program's memory does.
        if (java.lang.foreign.MemorySegment.NULL.byteSize() == 0) System.out.println("Hello, world!");
    }
}
EOF
"$JAVA_HOME/bin/javac" -d "$work" "$work/Line.java" "$work/Segment.java"
exports='Enable-Native-Access: ALL-UNNAMED
Add-Exports: java.base/jdk.internal.misc java.base/jdk.internal.access java.base/jdk.internal.ref'
jar_of() { # NAME MAIN-CLASS [ATTRIBUTES]
    printf 'Main-Class: %s\n%s\n' "$2" "${3:-}" > "$work/$1.mf"
    "$JAVA_HOME/bin/jar" --create --file "$work/$1.jar" --manifest "$work/$1.mf" -C "$work" "$2.class"
}
jar_of jar Line
jar_of exports Line "$exports"
jar_of segment Segment
jar_of both Segment "$exports"
"$root/wasm2jvm" compile "$here/hello.wasm" -o "$work/hello.jar" > /dev/null

parts=(classpath jar exports segment both compiled)
command_of() {
    case $1 in
        classpath) echo "$java -cp $work Line" ;;
        compiled) echo "$java -jar $work/hello.jar" ;;
        *) echo "$java -jar $work/$1.jar" ;;
    esac
}
# Bash's own time: milliseconds, where /usr/bin/time gives hundredths of a second.
TIMEFORMAT='%3R %3U %3S'
for ((i = 0; i < rounds; i++)); do
    order=("${parts[@]}")
    ((i % 2)) && order=(compiled both segment exports jar classpath)
    for part in "${order[@]}"; do
        { time $(command_of "$part") > /dev/null 2>&1; } 2> "$work/time"
        echo "$part $(< "$work/time")" >> "$work/times"
    done
done
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
printf '%-10s %9s %9s\n' part wall_ms cpu_ms
for part in "${parts[@]}"; do
    wall=$(awk -v p="$part" '$1 == p {print $2 * 1000}' "$work/times" | median)
    cpu=$(awk -v p="$part" '$1 == p {print ($3 + $4) * 1000}' "$work/times" | median)
    printf '%-10s %9.0f %9.0f\n' "$part" "$wall" "$cpu"
done
