// Runs one WASI command module under node:wasi the way the Sightglass harness does: its folder
// preopened as ".", no arguments, no environment, `bench.start` / `bench.end` timing the region.
// Usage: node wasi-runner.mjs MODULE.wasm DIR STDOUT_FILE STDERR_FILE
// The guest's stdout and stderr go to the two files; this script prints one JSON line,
// {"exit": code, "timedNanos": n, "totalNanos": n}, where total covers instantiation and _start.
import { readFileSync, openSync, closeSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [wasmPath, dir, stdoutPath, stderrPath] = process.argv.slice(2);
const stdout = openSync(stdoutPath, 'w');
const stderr = openSync(stderrPath, 'w');
const wasi = new WASI({
  version: 'preview1',
  args: [],
  env: {},
  preopens: { '.': dir },
  stdout,
  stderr,
  returnOnExit: true,
});

let started = 0n;
let ended = 0n;
const bench = {
  start: () => { started = process.hrtime.bigint(); },
  end: () => { ended = process.hrtime.bigint(); },
};

const module = await WebAssembly.compile(readFileSync(wasmPath));
const begin = process.hrtime.bigint();
const instance = await WebAssembly.instantiate(module, { ...wasi.getImportObject(), bench });
const exit = wasi.start(instance);
const finish = process.hrtime.bigint();
closeSync(stdout);
closeSync(stderr);
console.log(JSON.stringify({
  exit,
  timedNanos: Number(ended - started),
  totalNanos: Number(finish - begin),
}));
