#!/bin/sh
# Rebuilds src/main/wasm/sensor.wasm from src/main/wat/sensor.wat with wabt's wat2wasm
# (apt-get install -y wabt). --debug-names keeps the parameter names, which become the Java
# parameter names of the generated interface.
set -eu
cd "$(dirname "$0")"
wat2wasm --debug-names src/main/wat/sensor.wat -o src/main/wasm/sensor.wasm
