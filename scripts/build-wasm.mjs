// `npm run build:wasm`: assembles src/lines/line-index.wat (WebAssembly text, with SIMD) into the
// bytes src/lines/line-index.wasm.ts carries. The bytes are committed so that a build needs no
// assembler; test/line-index.test.ts assembles the text again and checks they are the same.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assembleLineIndex, wasmModuleSource } from './wasm-assemble.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const wat = readFileSync(`${root}src/lines/line-index.wat`, 'utf8');
const bytes = await assembleLineIndex(wat);
writeFileSync(`${root}src/lines/line-index.wasm.ts`, wasmModuleSource(bytes));
console.log(`line-index.wasm: ${bytes.length} bytes`);
