// The node (V8) side of the differential fuzzing harness; run with `--no-liftoff` (V8's optimising
// tier only) and `--experimental-wasm-type-reflection` (export signatures). A server: each stdin
// line is the path of a module; the answer is its transcript, one event a line, then `end`.
//
// The transcript format, the imports and the arguments are those of
// src/test/java/dev/wasm2jvm/fuzz/JvmEngine.java, which must stay in step with this file:
//   compile-error, message TEXT       the module was rejected (the only lines then)
//   instantiate                       then `trap CLASS` if instantiation trapped
//   call NAME ARGSET                  each function export without v128 in its signature (JS
//                                     cannot pass or take a v128), argument sets 0 then 1
//   log TYPE VALUE                    a fuzzing-support log-* import was called (a v128, which
//                                     generate.cjs --simd logs by lanes: `log v128 LOW HIGH`, hex)
//   exhausted                         a *-catch import caught a stack overflow (where the stack
//                                     allows writing it, and after the call's result or trap)
//   result VALUE...                   the call returned (no values for no results)
//   trap CLASS                        the call trapped (CLASS: see trapClass)
//   global NAME VALUE / table NAME SIZE NULLS / memory NAME PAGES HASH     after all calls
'use strict';
const fs = require('node:fs');
const readline = require('node:readline');

const scratch = new DataView(new ArrayBuffer(8));

// Floats as the bits of their f64 value (f32 values widen exactly), NaN as `nan` whatever its
// bits: engines may produce different NaN payloads and signs, and both are correct.
function show(type, v) {
  switch (type) {
    case 'i32': return String(v | 0);
    case 'i64': return BigInt.asIntN(64, v).toString();
    case 'f32':
    case 'f64':
      if (Number.isNaN(v)) return 'nan';
      scratch.setFloat64(0, v);
      return scratch.getBigUint64(0).toString(16);
    default: return v === null ? 'null' : 'ref';
  }
}

const ARGS_I32 = [1, -1, 0x7fffffff, -0x80000000, 42];
const ARGS_I64 = [1n, -1n, 0x7fffffffffffffffn, -0x8000000000000000n, 42n];
const ARGS_F32 = [1.5, -0, Infinity, 3.4028234663852886e38, 1.401298464324817e-45];
const ARGS_F64 = [1.5, -0, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE];

// Argument set 0 is all zeros (and null references); set 1 cycles through edge values by position.
function argument(type, set, i) {
  const k = i % 5;
  switch (type) {
    case 'i32': return set ? ARGS_I32[k] : 0;
    case 'i64': return set ? ARGS_I64[k] : 0n;
    case 'f32': return set ? ARGS_F32[k] : 0;
    case 'f64': return set ? ARGS_F64[k] : 0;
    default: return null;
  }
}

class HostError extends Error {}

// Whether JS can call a function of this type: a v128 has no JS value. The harnesses call no such
// export, and a call of one through `call-export` or `call-ref` is a host error on both sides.
const callable = (type) => !type.parameters.includes('v128') && !type.results.includes('v128');

// An i64 (a BigInt) as the hex digits of its 64 bits.
const bits64 = (v) => BigInt.asUintN(64, v).toString(16);

function isStackOverflow(e) {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

// V8's trap messages, mapped to the classes of the spec's trap texts that wasm2jvm reports.
function trapClass(e) {
  if (e instanceof HostError) return 'host';
  if (isStackOverflow(e)) return 'stack';
  if (!(e instanceof WebAssembly.RuntimeError)) return `js:${e && e.constructor && e.constructor.name}`;
  const m = e.message;
  if (/unreachable/.test(m)) return 'unreachable';
  if (/memory access out of bounds|data segment out of bounds/.test(m)) return 'memory';
  if (/table index is out of bounds|element segment out of bounds|table access out of bounds/.test(m)) return 'table';
  if (/null function or function signature mismatch|function signature mismatch|null function/.test(m)) return 'indirect';
  if (/divide by zero|remainder by zero/.test(m)) return 'div-zero';
  // V8 reports a float-to-integer truncation of NaN and of an out-of-range value alike, where the
  // spec has "invalid conversion to integer" and "integer overflow", the latter shared with
  // signed division overflow: one class for the three.
  if (/divide result unrepresentable|float unrepresentable in integer range/.test(m)) return 'overflow';
  if (/unaligned/.test(m)) return 'unaligned';
  if (/non-shared|shared memory/.test(m)) return 'unshared';
  return `other:${m.replace(/\s+/g, '_')}`;
}

// Each line is written as soon as it is known, so that a module stopped at the time limit still
// leaves what it did before. A synchronous write: near the stack limit it either writes the line
// or throws, where an asynchronous stream write can fail half way and hold back later lines.
const out = {push: (line) => fs.writeSync(1, line + '\n')};

function run(file) {
  let module;
  try {
    module = new WebAssembly.Module(fs.readFileSync(file));
  } catch (e) {
    if (!(e instanceof WebAssembly.CompileError)) throw e;
    out.push('compile-error');
    out.push(`message ${e.message.replace(/\s+/g, ' ')}`);
    return;
  }
  let exports = null;
  const exportList = () => (exports ? Object.entries(exports) : []);
  const firstTable = () => exportList().find(([, v]) => v instanceof WebAssembly.Table);

  function callAsHost(f) {
    if (typeof f !== 'function') throw new HostError('not callable');
    const type = WebAssembly.Function.type(f);
    if (!callable(type)) throw new HostError('v128 in the signature');
    return f(...type.parameters.map((t, i) => argument(t, 0, i)));
  }
  // Set when a *-catch import caught a stack overflow. The line is written at once if the stack
  // allows (a module stopped at the time limit leaves it), and again after the call, when it does.
  let exhausted = false;
  function catching(thunk) {
    try {
      thunk();
      return 0;
    } catch (e) {
      // Nothing but a stack overflow throws a RangeError here (table indices are checked before
      // use), and a test of the message could overflow again.
      if (e instanceof RangeError) {
        exhausted = true;
        try {
          out.push('exhausted');
        } catch (again) {
          // Still too deep: written after the call.
        }
      }
      return 1;
    }
  }
  const callExport = (index) => {
    const entry = exportList()[index >>> 0];
    if (!entry) throw new HostError('no such export');
    callAsHost(entry[1]);
  };
  const tableAt = (index) => {
    const table = firstTable();
    if (!table || (index >>> 0) >= table[1].length) throw new HostError('no such table element');
    return table[1];
  };
  const imports = {
    'fuzzing-support': {
      'log-i32': (v) => { out.push(`log i32 ${show('i32', v)}`); },
      'log-i64': (v) => { out.push(`log i64 ${show('i64', v)}`); },
      'log-f32': (v) => { out.push(`log f32 ${show('f32', v)}`); },
      'log-f64': (v) => { out.push(`log f64 ${show('f64', v)}`); },
      'log-v128-i64x2': (low, high) => { out.push(`log v128 ${bits64(low)} ${bits64(high)}`); },
      'call-export': (index, flags) => { callExport(index); },
      'call-export-catch': (index) => catching(() => callExport(index)),
      'call-ref': (ref, flags) => { callAsHost(ref); },
      'call-ref-catch': (ref) => catching(() => callAsHost(ref)),
      'sleep': (ms, id) => id,
      'table-get': (index) => tableAt(index).get(index >>> 0),
      'table-set': (index, value) => { tableAt(index).set(index >>> 0, value); },
    },
  };
  // Every other import the generator makes is an immutable externref global: one host object each.
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind === 'global') {
      imports[imp.module] = imports[imp.module] || {};
      imports[imp.module][imp.name] = {name: imp.name};
    }
  }

  out.push('instantiate');
  try {
    exports = new WebAssembly.Instance(module, imports).exports;
  } catch (e) {
    out.push(`trap ${trapClass(e)}`);
    return;
  }
  for (const [name, f] of Object.entries(exports)) {
    if (typeof f !== 'function') continue;
    const type = WebAssembly.Function.type(f);
    if (!callable(type)) continue;
    for (const set of [0, 1]) {
      out.push(`call ${name} ${set}`);
      try {
        const r = f(...type.parameters.map((t, i) => argument(t, set, i)));
        const values = type.results.length === 1 ? [r] : type.results.length === 0 ? [] : r;
        out.push(['result', ...type.results.map((t, i) => show(t, values[i]))].join(' '));
      } catch (e) {
        out.push(`trap ${trapClass(e)}`);
      }
      if (exhausted) out.push('exhausted');
      exhausted = false;
    }
  }
  for (const [name, v] of Object.entries(exports)) {
    if (v instanceof WebAssembly.Global) {
      // JS cannot read a v128 global: only its presence is compared.
      const type = v.type().value;
      out.push(`global ${name} ${type === 'v128' ? 'v128' : show(type, v.value)}`);
    } else if (v instanceof WebAssembly.Table) {
      let nulls = 0;
      for (let i = 0; i < v.length; i++) if (v.get(i) === null) nulls++;
      out.push(`table ${name} ${v.length} ${nulls}`);
    } else if (v instanceof WebAssembly.Memory) {
      const bytes = new Uint8Array(v.buffer);
      let hash = 0x811c9dc5;
      for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
      out.push(`memory ${name} ${bytes.length / 65536} ${(hash >>> 0).toString(16)}`);
    }
  }
}

const lines = readline.createInterface({input: process.stdin, terminal: false});
lines.on('line', (line) => {
  try {
    run(line.trim());
  } catch (e) {
    out.push(`error ${String(e).replace(/\s+/g, ' ')}`);
  }
  out.push('end');
});
