// Are these bytes a module this gateway loads? Says what they are when not (an HTML page served
// with 200, an archive, nothing), and checks a module's ABI export, imports and malloc export the
// way the gateway does. Untrusted code is compiled (`new WebAssembly.Module`), never instantiated,
// on a worker thread that is stopped when it takes too long.
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { CauseId } from '../model.js';
import { stripControls } from '../sanitize.js';
import { ArchiveError, baseName, gunzip, isGzip, isTar } from './archive.js';
import { tarEntries } from '../tar.js';
import { abiSince, checkImport, compareVersions, formatVersion, type Gateway } from './host-functions.js';
import type { CheckSeverity } from './result.js';

export const MAX_MODULE_BYTES = 64 * 1024 * 1024;

export interface Verdict {
  readonly severity: CheckSeverity;
  readonly cause: CauseId | null;
  readonly title: string;
  readonly remediation: readonly string[];
  readonly details: Record<string, unknown>;
}

export interface ModuleCheckOptions {
  readonly gateway: Gateway;
  /** Expected sha256 of the module (the WasmPlugin `sha256`), lower-case hex. */
  readonly sha256?: string;
  readonly compileTimeoutMs?: number;
}

interface WasmShape {
  readonly imports: ReadonlyArray<{ module: string; name: string; kind: string }>;
  readonly exports: ReadonlyArray<{ name: string; kind: string }>;
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
const REBUILD = 'Use the plugin release built for this gateway version, or rebuild it with the Higress plugin SDK and its documented toolchain.';
const PUBLISH_MODULE = 'Publish the plugin.wasm itself: download it again (oras pull) and extract it (tar -xzf plugin.tar.gz plugin.wasm); check that the server answers 404, not a page, for missing files.';

const RECOPY = 'The file is cut short: copy or download it again completely (compare its size and sha256 with the original), and check the disk the server reads it from.';

const hasMagic = (b: Uint8Array): boolean => b.length >= 4 && WASM_MAGIC.every((x, i) => b[i] === x);

/** What the gateway would make of these bytes as a plugin module. */
export async function checkModuleBytes(bytes: Buffer, opts: ModuleCheckOptions): Promise<Verdict> {
  const details: Record<string, unknown> = { bytes: bytes.length, sha256: sha256(bytes) };
  if (hasMagic(bytes)) return checkModule(bytes, opts, details);
  if (isGzip(bytes) || isTar(bytes)) return checkArchive(bytes, opts, details);
  return { ...notWasm(bytes), details: { ...details, format: sniff(bytes).format } };
}

async function checkModule(bytes: Buffer, opts: ModuleCheckOptions, details: Record<string, unknown>): Promise<Verdict> {
  details.format = 'wasm';
  const fail = (cause: CauseId, title: string, remediation: readonly string[]): Verdict => ({ severity: 'error', cause, title, remediation, details });
  if (opts.sha256 && details.sha256 !== opts.sha256) {
    details.expectedSha256 = opts.sha256;
    return fail('wasm-module-corrupt', `sha256 is ${String(details.sha256)}, not the expected ${opts.sha256}`, [
      'Publish the module the WasmPlugin names, or correct (or remove) its sha256; a re-tagged image or re-uploaded file changes it.',
    ]);
  }
  if (bytes.length < 8) return fail('wasm-module-corrupt', `truncated: ${bytes.length} bytes, not even a Wasm header`, [RECOPY]);
  const version = bytes.readUInt32LE(4);
  if (version !== 1) {
    // Component-model binaries share the magic; their version/layer word is 0x0d, layer 1.
    if ((version & 0xffff) === 0x0d) return fail('wasm-module-incompatible', 'a WebAssembly component, not a core module: Proxy-Wasm loads core modules only', [REBUILD]);
    return fail('wasm-module-corrupt', `Wasm binary version ${version}, not 1`, [PUBLISH_MODULE]);
  }
  const shape = await compileShape(bytes, opts.compileTimeoutMs ?? 10_000);
  if ('error' in shape) {
    // V8's decoder says "fell off end" / "extends past end" when the bytes stop early.
    if (/fell off end|past end|unexpected end|end of (?:the )?(?:module|section|input)/i.test(shape.error)) {
      return fail('wasm-module-corrupt', `truncated: the module stops after ${bytes.length} bytes (${oneLine(shape.error)})`, [RECOPY]);
    }
    if (shape.error === 'timeout') return fail('wasm-module-corrupt', 'compiling the module took too long; it was abandoned', [PUBLISH_MODULE]);
    return fail('wasm-module-corrupt', `not a valid Wasm module: ${oneLine(shape.error)}`, [PUBLISH_MODULE]);
  }
  return judgeShape(shape, opts.gateway, details);
}

/** ABI export, imports, malloc: in the order the gateway checks them (load, link, getFunctions). */
function judgeShape(shape: WasmShape, gw: Gateway, details: Record<string, unknown>): Verdict {
  const fnExports = shape.exports.filter((e) => e.kind === 'function').map((e) => e.name);
  const abiExports = fnExports.filter((n) => n.startsWith('proxy_abi_version_')).map((n) => n.slice('proxy_abi_version_'.length));
  const knownAbi = abiExports.find((a) => abiSince(a) !== null) ?? null;
  details.gateway = gw.label;
  details.abi = knownAbi ?? (abiExports[0] ?? null);
  details.imports = shape.imports.length;
  details.exports = shape.exports.length;
  const fail = (cause: CauseId, title: string, remediation: readonly string[]): Verdict => ({ severity: 'error', cause, title, remediation, details });
  if (knownAbi === null) {
    if (abiExports.length > 0) {
      return fail('wasm-module-incompatible', `exports proxy_abi_version_${abiExports[0]}, an ABI version no known Higress gateway supports`, [REBUILD]);
    }
    return fail('wasm-module-incompatible', 'exports no proxy_abi_version_* function: not a Proxy-Wasm plugin (a plain WASI program, or another SDK)', [
      'Build the plugin with a Proxy-Wasm SDK (the Higress plugin SDK); a module built for wasmtime/WASI alone is not a gateway plugin.',
    ]);
  }
  const abiFrom = abiSince(knownAbi)!;
  if (compareVersions(gw.version, abiFrom) < 0) {
    return fail('wasm-module-incompatible', `exports proxy_abi_version_${knownAbi}, which ${gwName(gw)} does not know (first in Higress ${formatVersion(abiFrom)})`, [
      `Upgrade the gateway to Higress ${formatVersion(abiFrom)} or later, or use a plugin release built for this gateway.`,
    ]);
  }
  const missing: Array<{ import: string; since: string | null; reason: string }> = [];
  const higressOnly: string[] = [];
  for (const imp of shape.imports) {
    const key = `${imp.module}.${imp.name}`;
    if (imp.kind === 'memory' || imp.kind === 'table') continue;
    if (imp.kind !== 'function') {
      missing.push({ import: key, since: null, reason: `a ${imp.kind} import, which the gateway never provides` });
      continue;
    }
    const v = checkImport(imp.module, imp.name, knownAbi, gw);
    if (v.ok) {
      if (v.higressOnly) higressOnly.push(`${key} (since ${formatVersion(v.since)})`);
    } else missing.push({ import: key, since: v.since ? formatVersion(v.since) : null, reason: v.reason });
  }
  if (higressOnly.length > 0) details.higressOnly = higressOnly;
  if (missing.length > 0) {
    details.missing = missing;
    const first = missing[0]!;
    const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
    const why = first.since ? `which ${gwName(gw)} does not provide (first in Higress ${first.since})` : `which ${first.reason.startsWith('a ') || first.reason.startsWith('registered') ? `the gateway cannot link: ${first.reason}` : 'no known Higress version provides'}`;
    const fix = first.since
      ? [`Upgrade the gateway to Higress ${first.since} or later, or use a plugin release built for ${gwName(gw)}.`, REBUILD]
      : first.import.startsWith('wasi_')
        ? ['The module was built for a WASI runtime whose calls Proxy-Wasm does not provide: rebuild it with the Higress plugin SDK and its documented toolchain (Go version, build flags).']
        : [REBUILD];
    return fail('wasm-module-incompatible', `imports ${first.import}, ${why}${more}`, fix);
  }
  if (!fnExports.includes('malloc') && !fnExports.includes('proxy_on_memory_allocate')) {
    return fail('wasm-module-incompatible', 'exports neither malloc nor proxy_on_memory_allocate: the gateway cannot hand it memory', [REBUILD]);
  }
  const extra = higressOnly.length > 0 ? `; uses Higress-only host functions (${higressOnly.length})` : '';
  return {
    severity: 'ok',
    cause: null,
    title: `a Proxy-Wasm module (ABI ${knownAbi}, ${shape.imports.length} imports) that ${gwName(gw)} can load${extra}`,
    remediation: [],
    details,
  };
}

/** What the gateway's HTTP fetcher does with an archive: gunzip, then the first file of a tar. */
async function checkArchive(bytes: Buffer, opts: ModuleCheckOptions, details: Record<string, unknown>): Promise<Verdict> {
  const steps: string[] = [];
  let b: Buffer = bytes;
  let first: string | null = null;
  try {
    for (let i = 0; i < 4 && !hasMagic(b); i++) {
      if (isGzip(b)) {
        b = gunzip(b, MAX_MODULE_BYTES);
        steps.push('gzip');
      } else if (isTar(b)) {
        const { entries } = tarEntries(b);
        steps.push('tar');
        const e = entries[0];
        if (!e) throw new ArchiveError('the tar archive is empty');
        first = e.name;
        if (e.type !== '0') throw new ArchiveError(`its first entry, ${clean(e.name)}, is not a file`);
        b = e.data;
      } else break;
    }
  } catch (e) {
    if (!(e instanceof ArchiveError)) throw e;
    details.format = steps.length > 0 ? steps.join('+') : 'gzip';
    return archiveFault(details, `a ${steps.length > 0 ? steps.join('+') : 'gzip'} archive, not a Wasm module: ${e.message}`);
  }
  const kind = steps.join('+');
  details.format = kind;
  if (first !== null) details.firstEntry = clean(first);
  if (!hasMagic(b)) {
    const inner = first !== null ? `its first file, ${clean(first)}, is ${sniff(b).what}` : `it holds ${sniff(b).what}`;
    return archiveFault(details, `a ${kind} archive, not a Wasm module; ${inner}`);
  }
  // Only gateways whose agent unpacks archives (istio ≥ 1.15: Higress 2.x) get past this.
  if (opts.gateway.version[0] < 2) {
    return archiveFault(details, `a ${kind} archive holding ${first ? clean(baseName(first)) : 'a module'}, not a Wasm module: Higress 1.x does not unpack archives`);
  }
  const inner = await checkModule(b, opts, { bytes: b.length, sha256: sha256(b) });
  details.module = inner.details;
  if (inner.severity === 'error') return { ...inner, title: `inside the ${kind} archive: ${inner.title}`, details };
  return {
    severity: 'warning',
    cause: null,
    title: `a ${kind} archive (what oras pull saves as plugin.tar.gz), not a bare module: the gateway unpacks its first file${first ? `, ${clean(baseName(first))},` : ''} and finds ${inner.title}`,
    remediation: ['Extract plugin.wasm (tar -xzf plugin.tar.gz plugin.wasm) and serve that: Higress 1.x does not unpack archives, and a checksum is taken of the module, not the archive.'],
    details,
  };
}

function archiveFault(details: Record<string, unknown>, title: string): Verdict {
  return { severity: 'error', cause: 'wasm-module-corrupt', title, remediation: ['Extract plugin.wasm (tar -xzf plugin.tar.gz plugin.wasm) and serve or push the module itself.'], details };
}

function notWasm(bytes: Buffer): Omit<Verdict, 'details'> {
  const s = sniff(bytes);
  const remediation = s.format === 'html'
    ? ['A server (or a proxy, login or error page in front of it) answered 200 with a web page: request the URL from the gateway and make the server return the file, or 404 when it is missing.']
    : [PUBLISH_MODULE];
  return { severity: 'error', cause: 'wasm-module-corrupt', title: `not a Wasm module: ${s.what}`, remediation };
}

/** A short description of bytes that are not a module. */
export function sniff(b: Uint8Array): { format: string; what: string } {
  if (b.length === 0) return { format: 'empty', what: 'empty (0 bytes)' };
  const head = Buffer.from(b.subarray(0, 4096)).toString('utf8').replace(/^\ufeff/, '');
  const trimmed = head.trimStart().toLowerCase();
  if (/^<(?:!doctype html|html|head|body|title|!--)/.test(trimmed) || /<html[\s>]/.test(trimmed)) {
    const t = /<title[^>]*>([^<]{0,200})/i.exec(head)?.[1];
    const title = t ? clean(t.replace(/\s+/g, ' ').trim()).slice(0, 80) : '';
    return { format: 'html', what: `an HTML page${title ? ` ("${title}")` : ''}` };
  }
  if (isGzip(b)) return { format: 'gzip', what: 'a gzip archive' };
  if (isTar(b)) return { format: 'tar', what: 'a tar archive' };
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return { format: 'zip', what: 'a zip archive' };
  if (b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46) return { format: 'elf', what: 'a native executable (ELF)' };
  if (/^[{[]/.test(trimmed)) return { format: 'json', what: `a JSON document (${clean(head.trim().slice(0, 60))}…)` };
  if (hasMagic(b)) return { format: 'wasm', what: 'a Wasm module' };
  const printable = [...head.slice(0, 256)].every((c) => c === '\n' || c === '\r' || c === '\t' || (c >= ' ' && c !== '\ufffd'));
  if (printable) return { format: 'text', what: `text ("${clean(head.trim().split('\n')[0] ?? '').slice(0, 60)}")` };
  const hex = Buffer.from(b.subarray(0, 4)).toString('hex').replace(/(..)/g, '$1 ').trim();
  return { format: 'binary', what: `unknown bytes (starting ${hex})` };
}

/** Compile on a worker thread: imports and exports, or the compiler's error, or 'timeout'. */
function compileShape(bytes: Buffer, timeoutMs: number): Promise<WasmShape | { error: string }> {
  // A copy the worker owns (the Buffer may share a pooled ArrayBuffer).
  const copy = new Uint8Array(bytes);
  return new Promise((resolve) => {
    const worker = new Worker(COMPILE_WORKER, { eval: true, workerData: copy, transferList: [copy.buffer], resourceLimits: { maxOldGenerationSizeMb: 512 } });
    let done = false;
    const finish = (r: WasmShape | { error: string }): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ error: 'timeout' }), timeoutMs);
    worker.once('message', (m: WasmShape | { error: string }) => finish(m));
    worker.once('error', (e) => finish({ error: e.message }));
    worker.once('exit', () => finish({ error: 'the compiler stopped' }));
  });
}

// CommonJS, run with eval: compile only; WebAssembly.Module never runs any of the module's code.
const COMPILE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
try {
  const m = new WebAssembly.Module(workerData);
  parentPort.postMessage({ imports: WebAssembly.Module.imports(m), exports: WebAssembly.Module.exports(m) });
} catch (e) {
  parentPort.postMessage({ error: String((e && e.message) || e) });
}
`;

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const clean = (s: string): string => stripControls(s);
const oneLine = (s: string): string => clean(s.replace(/^WebAssembly\.Module\(\): /, '')).slice(0, 160);
const gwName = (gw: Gateway): string => gw.name;


