// Runs hello.wasm under node:wasi with the process's standard streams, as a start-up reference:
// node --no-warnings hello-node.mjs hello.wasm
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const wasi = new WASI({ version: 'preview1', args: ['hello.wasm'], env: {}, returnOnExit: true });
const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(process.argv[2])),
    wasi.getImportObject());
process.exitCode = wasi.start(instance);
