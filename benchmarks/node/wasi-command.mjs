// Runs a WASI command module under node:wasi as a user runs a program: the working directory
// preopened as ".", the arguments after the module as argv[1..] (argv[0] is the module's file
// name), stdin, stdout and stderr inherited, no environment. Exits with the program's status.
// Usage: node wasi-command.mjs MODULE.wasm [ARG ...]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { WASI } from 'node:wasi';

const [wasmPath, ...args] = process.argv.slice(2);
const wasi = new WASI({
  version: 'preview1',
  args: [basename(wasmPath), ...args],
  env: {},
  preopens: { '.': '.' },
  returnOnExit: true,
});
const module = await WebAssembly.compile(readFileSync(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
