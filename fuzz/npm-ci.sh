#!/usr/bin/env bash
# Installs the fuzz harness's module generator (binaryen, the exact version of package-lock.json)
# into fuzz/node_modules, unless that version is there already. Needs node and npm.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
for tool in node npm; do
    if ! command -v "$tool" >/dev/null; then
        echo "fuzz/npm-ci.sh: '$tool' is not installed; the fuzz tests need node and npm (Debian: apt-get install nodejs npm)" >&2
        exit 1
    fi
done
if ! node -e 'process.exit(require("./node_modules/binaryen/package.json").version === require("./package-lock.json").packages["node_modules/binaryen"].version ? 0 : 1)' 2>/dev/null; then
    npm ci --no-audit --no-fund --loglevel=error
fi
