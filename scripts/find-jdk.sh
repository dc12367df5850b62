# Finds a JDK that can build and run wasm2jvm (version 22 or later) and exports it as JAVA_HOME:
# JAVA_HOME itself if it is recent enough, else the newest such JDK under /usr/lib/jvm.
#
#   . scripts/find-jdk.sh          # sourced: exports JAVA_HOME, or returns 1 with a message
#   scripts/find-jdk.sh            # run: prints the JDK's path, or exits 1 with a message
#
# A JDK is recognised by its `release` file (JAVA_VERSION="25.0.3") and its javac.

WASM2JVM_MIN_JAVA=22

# Sets wasm2jvm_version to the feature version (25 for "25.0.3", 8 for "1.8.0_402") of the JDK at
# $1, or returns 1 if $1 is no JDK. With builtins only, and setting a variable rather than printing
# for a command substitution to read: ./wasm2jvm sources this before every run, where each process
# or subshell costs milliseconds.
wasm2jvm_read_jdk_version() {
    [ -f "$1/release" ] && [ -x "$1/bin/javac" ] || return 1
    local line version=
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
            JAVA_VERSION=\"*\") version=${line#JAVA_VERSION=\"}; version=${version%\"} ;;
        esac
    done < "$1/release"
    version=${version#1.}
    version=${version%%[!0-9]*}
    [ -n "$version" ] || return 1
    wasm2jvm_version=$version
}

# Prints the feature version of the JDK at $1.
wasm2jvm_jdk_version() {
    wasm2jvm_read_jdk_version "$1" && echo "$wasm2jvm_version"
}

# Sets wasm2jvm_jdk to the path of the JDK to use, or says why there is none and returns 1.
wasm2jvm_select_jdk() {
    if [ -n "${JAVA_HOME:-}" ] && wasm2jvm_read_jdk_version "$JAVA_HOME" \
            && [ "$wasm2jvm_version" -ge "$WASM2JVM_MIN_JAVA" ]; then
        wasm2jvm_jdk=$JAVA_HOME
        return 0
    fi
    local dir best="" best_version=0
    for dir in /usr/lib/jvm/*; do
        wasm2jvm_read_jdk_version "$dir" || continue
        if [ "$wasm2jvm_version" -ge "$WASM2JVM_MIN_JAVA" ] && [ "$wasm2jvm_version" -gt "$best_version" ]; then
            best=$dir
            best_version=$wasm2jvm_version
        fi
    done
    if [ -z "$best" ]; then
        echo "wasm2jvm: no JDK $WASM2JVM_MIN_JAVA or later found: set JAVA_HOME to one (looked at" \
             "JAVA_HOME=${JAVA_HOME:-<unset>} and /usr/lib/jvm)" >&2
        return 1
    fi
    wasm2jvm_jdk=$best
}

# Prints the path of the JDK to use.
wasm2jvm_find_jdk() {
    wasm2jvm_select_jdk && echo "$wasm2jvm_jdk"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    wasm2jvm_find_jdk
else
    wasm2jvm_select_jdk || return 1
    export JAVA_HOME=$wasm2jvm_jdk
    unset wasm2jvm_jdk wasm2jvm_version
fi
