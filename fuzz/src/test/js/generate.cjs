// Module generator of the differential fuzzing harness: turns random bytes into a valid wasm module
// with binaryen's `wasm-opt -ttf` (translate-to-fuzz), restricted to the features wasm2jvm
// supports.
//
// A server, so that the 11 MB emscripten build of wasm-opt is compiled once per process rather
// than once per module (0.7 s a module as a command, about 0.1 s here): each stdin line is
// `ttf INPUT OUTPUT` (a module from random bytes) or `denan INPUT OUTPUT` (binaryen's --denan pass:
// every float value that is a NaN becomes 0, see Campaign); each answer is `ok` or
// `error MESSAGE`, then `end`.
// wasm-opt's own stdout and stderr go to this process's stderr.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const vm = require('node:vm');

// What wasm2jvm supports (README, "Supported features") and node 20 runs without experimental
// flags: the MVP plus sign extension, mutable globals, non-trapping float-to-int, bulk memory,
// reference types, multi-value, threads and tail calls (about half the modules make some).
// `--mvp-features` first switches everything else off: SIMD (exports with v128 cannot be called
// from JS), exceptions and memory64 (binaryen 132 emits what node 20 rejects), GC, strings, stack
// switching, and extended constants and multi-memory, of which binaryen 132's -ttf makes no use.
const FEATURES = [
  '--mvp-features',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
  '--enable-bulk-memory',
  '--enable-bulk-memory-opt',
  '--enable-reference-types',
  '--enable-multivalue',
  '--enable-threads',
  '--enable-tail-call',
];

const binaryen = path.join(path.dirname(require.resolve('binaryen/package.json')), 'bin', 'wasm-opt');
const script = new vm.Script(fs.readFileSync(binaryen, 'utf8').replace(/^#!.*\n/, ''), {filename: binaryen});

// The emscripten glue compiles its embedded wasm on each run; the compiled module is kept here.
let compiled = null;
const cachingWebAssembly = Object.assign(Object.create(WebAssembly), {
  instantiate: async (bytes, imports) => {
    if (bytes instanceof WebAssembly.Module) return WebAssembly.instantiate(bytes, imports);
    if (!compiled) compiled = await WebAssembly.compile(bytes);
    return {module: compiled, instance: await WebAssembly.instantiate(compiled, imports)};
  },
});

// Runs wasm-opt once, in a fresh context (its C++ globals start anew), with `args` as its argv.
function wasmOpt(args) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (result) => {
      if (!done) {
        done = true;
        resolve(result);
      }
    };
    const proc = Object.create(process);
    proc.argv = [process.argv[0], 'wasm-opt', ...args];
    proc.exitCode = undefined;
    const context = {
      process: proc, require, console: new console.Console(process.stderr, process.stderr),
      WebAssembly: cachingWebAssembly, TextDecoder, TextEncoder, URL, Buffer, performance,
      setTimeout, clearTimeout, __filename: binaryen, __dirname: path.dirname(binaryen),
      Module: {
        postRun: () => finish(proc.exitCode ? `exit status ${proc.exitCode}` : null),
        onExit: (status) => finish(status ? `exit status ${status}` : null),
        onAbort: (what) => finish(`aborted: ${what}`),
      },
    };
    context.globalThis = context;
    vm.createContext(context);
    try {
      script.runInContext(context);
    } catch (e) {
      finish(`failed: ${e}`);
    }
  });
}

function readU32(bytes, at) {
  let result = 0;
  for (let shift = 0; ; shift += 7) {
    const b = bytes[at.pos++];
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result >>> 0;
  }
}

function u32(value) {
  const out = [];
  do {
    let b = value & 0x7f;
    value >>>= 7;
    if (value !== 0) b |= 0x80;
    out.push(b);
  } while (value !== 0);
  return out;
}

// Appends an export of memory 0 named `fuzz-memory` when the module defines a memory, so that both
// engines can show the memory's final contents: the generator exports no memory itself, and a
// store that went wrong would otherwise go unseen unless it was loaded and logged. Appended last,
// it leaves the index of every other export (which `call-export` takes) as it was.
function exportMemory(file) {
  const bytes = fs.readFileSync(file);
  const sections = [];
  const at = {pos: 8};
  let hasMemory = false;
  while (at.pos < bytes.length) {
    const start = at.pos;
    const id = bytes[at.pos++];
    const size = readU32(bytes, at);
    const payload = at.pos;
    if (id === 5 && readU32(bytes, {pos: payload}) > 0) hasMemory = true;
    at.pos = payload + size;
    sections.push({id, start, payload, end: at.pos});
  }
  const exportSection = sections.find((s) => s.id === 7);
  if (!hasMemory || !exportSection) return;
  const p = {pos: exportSection.payload};
  const count = readU32(bytes, p);
  const name = Buffer.from('fuzz-memory');
  const payload = Buffer.concat([Buffer.from(u32(count + 1)), bytes.subarray(p.pos, exportSection.end),
    Buffer.from(u32(name.length)), name, Buffer.from([2, 0])]);
  fs.writeFileSync(file, Buffer.concat([bytes.subarray(0, exportSection.start), Buffer.from([7, ...u32(payload.length)]),
    payload, bytes.subarray(exportSection.end)]));
}

const lines = readline.createInterface({input: process.stdin, terminal: false});
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    const [command, input, output] = line.trim().split(/\s+/);
    if (command === 'denan') {
      const failure = await wasmOpt([input, ...FEATURES, '--denan', '-o', output]);
      process.stdout.write((failure ? `error ${failure.replace(/\s+/g, ' ')}` : 'ok') + '\nend\n');
      return;
    }
    let failure = await wasmOpt(['-ttf', input, ...FEATURES, '-o', output]);
    if (!failure) {
      try {
        exportMemory(output);
      } catch (e) {
        failure = `cannot add the memory export: ${e}`;
      }
    }
    process.stdout.write((failure ? `error ${failure.replace(/\s+/g, ' ')}` : 'ok') + '\nend\n');
  });
});
