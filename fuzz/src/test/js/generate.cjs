// Module generator of the differential fuzzing harness: turns random bytes into a valid wasm module
// with binaryen's `wasm-opt -ttf` (translate-to-fuzz), restricted to the features wasm2jvm
// supports.
//
// A server, so that the 11 MB emscripten build of wasm-opt is compiled once per process rather
// than once per module (0.7 s a module as a command, about 0.1 s here): each stdin line is
// `INPUT OUTPUT [EXTRA-FLAG...]`; each answer is `ok` or `error MESSAGE`, then `end`.
// wasm-opt's own stdout and stderr go to this process's stderr.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const vm = require('node:vm');

// What wasm2jvm supports (README, "Supported features"): the MVP plus sign extension, mutable
// globals, non-trapping float-to-int, bulk memory, reference types, multi-value and threads.
// `--mvp-features` first switches everything else off: SIMD, exceptions, tail calls, GC, memory64,
// multi-memory, extended-const, strings, stack switching, ...
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

const lines = readline.createInterface({input: process.stdin, terminal: false});
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    const [input, output, ...extra] = line.trim().split(/\s+/);
    const failure = await wasmOpt(['-ttf', input, ...FEATURES, ...extra, '-o', output]);
    process.stdout.write((failure ? `error ${failure.replace(/\s+/g, ' ')}` : 'ok') + '\nend\n');
  });
});
