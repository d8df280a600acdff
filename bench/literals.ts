// The literals for the `grep -cE` baseline: every `match.literal` of the catalog (patterns/**/*.y{a,}ml), or, while
// the catalog has none, a fixed list of fault literals taken from docs/formats.md.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** ~45 fault literals from docs/formats.md §3 (used only when the catalog yields none). */
export const FALLBACK_LITERALS: readonly string[] = [
  'cannot fetch Wasm module',
  'error in applying failopen rbac config',
  'convert the wasm config',
  'error in converting the wasm config to local',
  'failed to purge Wasm module',
  'Failed to load Wasm module due to a missing import',
  'Failed to load Wasm module due to an import type mismatch',
  'Bad function signature for',
  'Failed to create new Wasm instance',
  'Wasm VM failed',
  'Plugin configured to fail closed failed to load',
  'Unable to create Wasm HTTP filter',
  'wasm worker initialization failed',
  'Proxy-Wasm plugin in-VM backtrace',
  'Uncaught RuntimeError',
  'parse rule config failed',
  'plugin start failed',
  'the plugin configuration is not a valid json',
  'error reading plugin configuration',
  'recovered from panic',
  'suspect faulting address',
  'Backtrace (use tools/stack_decode.py',
  'assert failure:',
  'std::terminate called!',
  'Envoy exited with error',
  'Envoy may have been out of memory killed',
  'error initializing configuration',
  'Fatal process out of memory',
  'Fatal JavaScript out of memory',
  'bytes memory failed',
  'fatal error: runtime: out of memory',
  'gRPC config for',
  'delta config for',
  'Error adding/updating listener(s)',
  'Proto constraint validation failed',
  "cannot bind '",
  'failed to bind or apply socket options',
  'gRPC config stream to xds-grpc closed',
  'initial fetch timed out',
  'failed to connect to upstream',
  'no_healthy_upstream',
  'upstream_reset_before_response_started',
  'CERTIFICATE_VERIFY_FAILED',
  'x509: certificate signed by unknown authority',
  'ACK ERROR',
  'invalid wasmPlugin:',
];

export interface Literals {
  readonly literals: readonly string[];
  /** `catalog` when read from patterns/, else `fallback`. */
  readonly source: 'catalog' | 'fallback';
  readonly files: number;
  readonly note?: string;
}

function yamlFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names.sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/i.test(n)) out.push(p);
  }
  return out;
}

function collect(v: unknown, out: string[]): void {
  if (typeof v === 'string' && v.length > 0) out.push(v);
  else if (Array.isArray(v)) for (const x of v) collect(x, out);
}

/** Reads `match.literal` (a string or a list of strings) of every document of every pattern file. */
export function loadLiterals(patternsDir: string): Literals {
  const files = yamlFiles(patternsDir);
  const found: string[] = [];
  const bad: string[] = [];
  for (const f of files) {
    try {
      for (const doc of parseAllDocuments(readFileSync(f, 'utf8'))) {
        const js: unknown = doc.toJS();
        if (js && typeof js === 'object' && 'match' in js) {
          const m = (js as { match: unknown }).match;
          if (m && typeof m === 'object' && 'literal' in m) collect((m as { literal: unknown }).literal, found);
        }
      }
    } catch {
      bad.push(f);
    }
  }
  const literals = [...new Set(found)];
  const unreadable = bad.length > 0 ? `; ${bad.length} file(s) could not be parsed` : '';
  if (literals.length === 0) {
    return {
      literals: FALLBACK_LITERALS,
      source: 'fallback',
      files: files.length,
      note: `no match.literal in ${files.length} pattern file(s) under ${patternsDir}: used the ${FALLBACK_LITERALS.length} fixed fault literals of bench/literals.ts${unreadable}`,
    };
  }
  return { literals, source: 'catalog', files: files.length, ...(unreadable ? { note: unreadable.slice(2) } : {}) };
}

/** One ERE alternation that matches any of the literals. */
export function toEre(literals: readonly string[]): string {
  return literals.map((l) => l.replace(/[\\.[\]()*+?{}|^$]/g, '\\$&')).join('|');
}
