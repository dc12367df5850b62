#!/usr/bin/env bash
# Builds and runs the Maven samples against this checkout: installs wasm2jvm's runtime, compiler
# and Maven plugin into a local repository, builds each sample with `mvn package`, runs it and
# compares its output with the sample's expected-output.txt.
#
#   samples/build-samples.sh [MAVEN OPTIONS...]
#
# The Maven options are passed to every mvn command, e.g. -o to stay offline once the
# dependencies are cached. The local repository is .m2repo/ in the checkout unless the options
# give -Dmaven.repo.local=DIR, so that the snapshot artifacts never reach ~/.m2. Needs Maven and a
# JDK 22 or later (found by scripts/find-jdk.sh).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/find-jdk.sh"
java="$JAVA_HOME/bin/java"

maven_options=("$@")
case " $* " in
    *" -Dmaven.repo.local="*) ;;
    *) maven_options+=("-Dmaven.repo.local=$root/.m2repo") ;;
esac
mvn() {
    command mvn -B -q -Dstyle.color=never "${maven_options[@]}" "$@"
}

echo "== installing the runtime, the compiler and the Maven plugin"
mvn -f "$root/pom.xml" install -DskipTests -pl runtime,compiler,maven-plugin -am
runtime_jar=$(ls "$root"/runtime/target/wasm2jvm-runtime-*.jar | grep -v -e '-sources' -e '-javadoc' | head -n 1)

failures=0

# run_sample SAMPLE MAIN_CLASS [ARGS...]: builds SAMPLE and checks what MAIN_CLASS prints and its exit code.
run_sample() {
    local sample=$1 main=$2
    shift 2
    local dir="$root/samples/$sample"
    echo "== $sample"
    mvn -f "$dir/pom.xml" clean package
    local actual expected status=0
    actual=$("$java" --enable-native-access=ALL-UNNAMED -cp "$dir/target/classes:$runtime_jar" "$main" "$@") || status=$?
    expected=$(cat "$dir/expected-output.txt")
    if [ "$status" -ne 0 ]; then
        echo "FAIL: $sample exited with status $status" >&2
        failures=$((failures + 1))
    elif [ "$actual" != "$expected" ]; then
        echo "FAIL: $sample printed:" >&2
        echo "$actual" >&2
        echo "instead of:" >&2
        echo "$expected" >&2
        failures=$((failures + 1))
    else
        echo "$actual"
    fi
}

run_sample maven-c-library com.example.mathlib.Main
run_sample maven-host-function com.example.host.Main
run_sample maven-wasi-hello com.example.Hello Ada Grace
run_sample maven-threads com.example.threads.Main

# A command's launcher, on a Java older than 22 (the system's java, where it is one), says in one
# line which Java it needs.
old_java=/usr/bin/java
if [ -x "$old_java" ] && ! "$old_java" -version 2>&1 | grep -q 'version "\(2[2-9]\|[3-9][0-9]\)'; then
    echo "== maven-wasi-hello launcher on $("$old_java" -version 2>&1 | head -n 1)"
    status=0
    message=$("$old_java" -cp "$root/samples/maven-wasi-hello/target/classes" com.example.HelloMain Ada 2>&1) || status=$?
    if [ "$status" -ne 1 ] || [ "$(echo "$message" | wc -l)" -ne 1 ] \
            || ! echo "$message" | grep -q '^wasm2jvm: this program needs Java 22 or later, but runs on Java '; then
        echo "FAIL: com.example.HelloMain on $old_java exited with $status and printed:" >&2
        echo "$message" >&2
        failures=$((failures + 1))
    else
        echo "$message"
    fi
else
    echo "== skipped the launcher on an old Java: no Java older than 22 at $old_java"
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures sample(s) failed" >&2
    exit 1
fi
echo "all samples passed"
