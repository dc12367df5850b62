#!/usr/bin/env bash
# Checks what `mvn install` publishes, after `mvn verify` (or package) has built it: each library
# module (runtime, compiler, cli, maven-plugin) has its jar, a sources jar and a javadoc jar; every
# such jar carries the project's LICENSE and NOTICE in META-INF; the CLI jar runs with `java -jar`;
# and every module's effective POM has the name, description, url, licenses, scm and developers
# that Maven Central requires. Extra arguments go to Maven (e.g. -o). Exits 1 naming what is missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/find-jdk.sh" || exit 1
cd "$root"

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# The file of $1 inside jar $2 on stdout.
jar_entry() {
    local dir
    dir=$(mktemp -d)
    (cd "$dir" && "$JAVA_HOME/bin/jar" xf "$2" "$1" && cat "$1") 2>/dev/null || true
    rm -rf "$dir"
}

version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' pom.xml | head -n 1)
for module in runtime:wasm2jvm-runtime-$version compiler:wasm2jvm-compiler-$version \
        cli:wasm2jvm-cli maven-plugin:wasm2jvm-maven-plugin-$version; do
    dir=${module%%:*}
    base=$root/$dir/target/${module#*:}
    for classifier in "" -sources -javadoc; do
        [ -f "$base$classifier.jar" ] || fail "$base$classifier.jar was not built"
    done
    [ -f "$base.jar" ] || continue
    for file in LICENSE NOTICE; do
        if ! jar_entry "META-INF/$file" "$base.jar" | cmp -s - "$file"; then
            fail "$base.jar has no META-INF/$file identical to ./$file"
        fi
    done
done

help_output=$("$JAVA_HOME/bin/java" -jar cli/target/wasm2jvm-cli.jar --help 2>&1) \
    || fail "java -jar cli/target/wasm2jvm-cli.jar --help failed: $help_output"

effective=$(mktemp)
mvn -B -q -Dstyle.color=never "$@" help:effective-pom -Doutput="$effective" >/dev/null
# The effective POMs of the reactor, one <project> each, its own elements indented by 4 spaces.
missing=$(awk '
    /^  <project[ >]/ { id = ""; split("", seen) }
    /^    <artifactId>/ { id = $0; sub(/.*<artifactId>/, "", id); sub(/<.*/, "", id) }
    /^    <(name|description|url|licenses|scm|developers)[ >]/ {
        tag = $0; sub(/^    </, "", tag); sub(/[ >].*/, "", tag); seen[tag] = 1
    }
    /^  <\/project>/ {
        n = split("name description url licenses scm developers", required, " ")
        for (i = 1; i <= n; i++) if (!(required[i] in seen)) print id " has no <" required[i] ">"
        modules++
    }
    END { if (modules == 0) print "help:effective-pom listed no module" }' "$effective")
urls=$(grep -c '^    <url>https://github.com/wasm2jvm/wasm2jvm</url>' "$effective" || true)
projects=$(grep -c '^  </project>' "$effective" || true)
rm -f "$effective"
[ -z "$missing" ] || fail "effective POM: $missing"
[ "$urls" -eq "$projects" ] || fail "$urls of $projects effective POMs have the project url as theirs"

if [ "$failures" -ne 0 ]; then
    echo "$failures artifact check(s) failed" >&2
    exit 1
fi
echo "artifacts: jars, sources, javadoc, LICENSE/NOTICE and POM metadata of every module are in place"
