// Module generator of the differential fuzzing harness: turns random bytes into a valid wasm module
// with binaryen's `wasm-opt -ttf` (translate-to-fuzz), restricted to the features wasm2jvm
// supports.
//
// A server, so that the 11 MB emscripten build of wasm-opt is compiled once per process rather
// than once per module (0.7 s a module as a command, about 0.1 s here): each stdin line is
// `ttf INPUT OUTPUT` (a module from random bytes) or `denan INPUT OUTPUT` (binaryen's --denan pass:
// every float value that is a NaN becomes 0, see Campaign); each answer is `ok` or
// `error MESSAGE`, then `end`.
// With the argument `--simd`, the modules use fixed-width SIMD too (see logV128AsLanes), and grow
// from src/test/resources/simd-initial.wat (see initialContent).
// wasm-opt's own stdout and stderr go to this process's stderr.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const vm = require('node:vm');

// What wasm2jvm supports (README, "Supported features") and node 20 runs without experimental
// flags: the MVP plus sign extension, mutable globals, non-trapping float-to-int, bulk memory,
// reference types, multi-value, threads and tail calls (about half the modules make some).
// `--mvp-features` first switches everything else off: SIMD unless asked for (below), exceptions
// and memory64 (binaryen 132 emits what node 20 rejects), GC, strings, stack switching, and
// extended constants and multi-memory, of which binaryen 132's -ttf makes no use.
const SIMD = process.argv.includes('--simd');
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
  // Fixed-width SIMD only, not relaxed SIMD: node 20 runs the latter only behind a flag, and its
  // results are implementation-defined. A separate option, as it changes every seed's module.
  ...(SIMD ? ['--enable-simd'] : []),
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

// binaryen.js (the library build of binaryen, in the same package), loaded on first use.
let library = null;
async function binaryenLibrary() {
  if (!library) library = (await import('binaryen')).default;
  return library;
}

// FEATURES with SIMD, as binaryen.js's flags (all of them would let it write newer encodings).
function simdFeatureFlags() {
  const f = library.Features;
  return f.SignExt | f.MutableGlobals | f.NontrappingFPToInt | f.BulkMemory | f.BulkMemoryOpt
      | f.ReferenceTypes | f.Multivalue | f.Atomics | f.TailCall | f.SIMD128;
}

// Replaces the generator's `log-v128` import, which JavaScript cannot be called through (a v128
// has no JS value), by a function of the module that logs the vector's two i64 lanes through a
// new import `log-v128-i64x2` (i64, i64), which both harnesses log as `log v128 LOW HIGH`: every
// bit of each logged vector is compared. The function keeps the import's name, so every call to
// it stays as it was; only the indices of functions shift, alike for both engines.
async function logV128AsLanes(file) {
  const b = await binaryenLibrary();
  const module = b.readBinary(fs.readFileSync(file));
  try {
    // simd-initial.wat's import, and the generator's if it made one of its own as well.
    const logV128 = [];
    for (let i = 0; i < module.getNumFunctions(); i++) {
      const info = b.getFunctionInfo(module.getFunctionByIndex(i));
      if (info.module === 'fuzzing-support' && info.base === 'log-v128') logV128.push(info.name);
    }
    if (logV128.length === 0) return;
    const features = simdFeatureFlags();
    module.setFeatures(features);
    const lanes = 'fuzz$log-v128-i64x2';
    module.addFunctionImport(lanes, 'fuzzing-support', 'log-v128-i64x2', b.createType([b.i64, b.i64]), b.none);
    const vector = () => module.local.get(0, b.v128);
    for (const name of logV128) {
      module.removeFunction(name);
      module.addFunction(name, b.v128, b.none, [], module.call(lanes,
          [module.i64x2.extract_lane(vector(), 0), module.i64x2.extract_lane(vector(), 1)], b.none));
    }
    // Validated as read back: in binaryen's IR, a `ref.func` of the import has the type of an
    // import's reference, not the exact type of a defined function's, until it is read again.
    const bytes = module.emitBinary();
    const written = b.readBinary(bytes);
    try {
      written.setFeatures(features);
      if (!written.validate()) throw new Error('the module with log-v128 replaced does not validate');
    } finally {
      written.dispose();
    }
    fs.writeFileSync(file, bytes);
  } finally {
    module.dispose();
  }
}

// The SIMD campaign's initial content for -ttf (`--initial-fuzz`), assembled once per process:
// kernels of vector code, which the generator mutates and recombines and calls through invokers
// of its own, beside the functions it makes from nothing. Without them, few of the instructions
// binaryen 132 generates are vector ones (README, "Fuzzing", has the counts).
let initial = null;
async function initialContent() {
  if (initial) return initial;
  const module = (await binaryenLibrary()).parseText(fs.readFileSync(path.join(__dirname, '../resources/simd-initial.wat'), 'utf8'));
  try {
    module.setFeatures(simdFeatureFlags());
    if (!module.validate()) throw new Error('simd-initial.wat does not validate');
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm2jvm-fuzz-'));
    process.on('exit', () => fs.rmSync(directory, {recursive: true, force: true}));
    const file = path.join(directory, 'simd-initial.wasm');
    fs.writeFileSync(file, module.emitBinary());
    initial = file;
    return file;
  } finally {
    module.dispose();
  }
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
    const content = SIMD ? [`--initial-fuzz=${await initialContent()}`] : [];
    let failure = await wasmOpt(['-ttf', input, ...content, ...FEATURES, '-o', output]);
    if (!failure) {
      try {
        if (SIMD) await logV128AsLanes(output);
        exportMemory(output);
      } catch (e) {
        failure = `cannot adapt the module: ${e}`;
      }
    }
    process.stdout.write((failure ? `error ${failure.replace(/\s+/g, ' ')}` : 'ok') + '\nend\n');
  });
});
