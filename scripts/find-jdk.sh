# Finds a JDK that can build and run wasm2jvm (version 22 or later) and exports it as JAVA_HOME:
# JAVA_HOME itself if it is recent enough, else the newest such JDK under /usr/lib/jvm.
#
#   . scripts/find-jdk.sh          # sourced: exports JAVA_HOME, or returns 1 with a message
#   scripts/find-jdk.sh            # run: prints the JDK's path, or exits 1 with a message
#
# A JDK is recognised by its `release` file (JAVA_VERSION="25.0.3") and its javac.

WASM2JVM_MIN_JAVA=22

# Prints the feature version (25 for "25.0.3", 8 for "1.8.0_402") of the JDK at $1.
wasm2jvm_jdk_version() {
    [ -f "$1/release" ] && [ -x "$1/bin/javac" ] || return 1
    local version
    version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$1/release")
    version=${version#1.}
    version=${version%%[!0-9]*}
    [ -n "$version" ] || return 1
    echo "$version"
}

# Prints the path of the JDK to use.
wasm2jvm_find_jdk() {
    local version
    if [ -n "${JAVA_HOME:-}" ] && version=$(wasm2jvm_jdk_version "$JAVA_HOME") \
            && [ "$version" -ge "$WASM2JVM_MIN_JAVA" ]; then
        echo "$JAVA_HOME"
        return 0
    fi
    local dir best="" best_version=0
    for dir in /usr/lib/jvm/*; do
        version=$(wasm2jvm_jdk_version "$dir") || continue
        if [ "$version" -ge "$WASM2JVM_MIN_JAVA" ] && [ "$version" -gt "$best_version" ]; then
            best=$dir
            best_version=$version
        fi
    done
    if [ -z "$best" ]; then
        echo "wasm2jvm: no JDK $WASM2JVM_MIN_JAVA or later found: set JAVA_HOME to one (looked at" \
             "JAVA_HOME=${JAVA_HOME:-<unset>} and /usr/lib/jvm)" >&2
        return 1
    fi
    echo "$best"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    wasm2jvm_find_jdk
else
    WASM2JVM_JDK=$(wasm2jvm_find_jdk) || return 1
    export JAVA_HOME=$WASM2JVM_JDK
    unset WASM2JVM_JDK
fi
