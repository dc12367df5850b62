#!/usr/bin/env bash
# Runs every test of the project: unit tests, the spec conformance suites and the WASI test suite.
# Finds a JDK >= 22 by itself. Extra arguments go to Maven.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=find-jdk.sh
source "$root/scripts/find-jdk.sh"
cd "$root"
exec mvn -B --no-transfer-progress verify "$@"
