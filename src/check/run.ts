// The four `check` commands as functions from their arguments to a list of results, in the order
// given. Network work runs with bounded concurrency; nothing here writes to the terminal.
import { readFile, stat } from 'node:fs/promises';
import type { PluginRef } from './builtin-plugins.js';
import { checkModuleBytes, MAX_MODULE_BYTES } from './module.js';
import { checkOci, type OciOptions } from './oci.js';
import { patternProblem, renderPattern } from './pattern.js';
import { displayUrl, UnreadableInput, type CheckResult } from './result.js';
import { checkUrl, type CheckContext } from './url.js';

export type { CheckContext };

/** The pattern itself, then one check per plugin URL it renders (one in all when it cannot tell plugins apart). */
export async function checkPattern(pattern: string, plugins: readonly PluginRef[], ctx: CheckContext, oci: OciOptions): Promise<CheckResult[]> {
  const problem = patternProblem(pattern);
  const rendered = plugins.map((p) => ({ plugin: p, url: renderPattern(pattern, p) }));
  const distinct = new Set(rendered.map((r) => r.url));
  const head: CheckResult = problem
    ? { kind: 'pattern', target: displayUrl(pattern), plugin: null, ok: false, severity: 'error', cause: 'wasm-fetch-bad-address', title: problem.title, remediation: problem.remediation, details: { plugins: plugins.length, urls: distinct.size } }
    : {
        kind: 'pattern',
        target: displayUrl(pattern),
        plugin: null,
        ok: true,
        severity: 'ok',
        cause: null,
        title: `renders ${distinct.size} distinct URL${distinct.size === 1 ? '' : 's'} for ${plugins.length} plugin${plugins.length === 1 ? '' : 's'}${pattern.includes('${version}') ? '' : ' (no ${version}: one file per plugin name)'}`,
        remediation: [],
        details: { plugins: plugins.length, urls: distinct.size },
      };
  if (problem && /^(?:not a URL|the scheme)/.test(problem.title)) return [head];
  // Without ${name} every plugin gets the same URL: check that one file once.
  const targets = problem || distinct.size < rendered.length ? dedupe(rendered) : rendered;
  const isOci = /^oci:\/\//i.test(pattern);
  const checks = await pool(targets, ctx.concurrency, ({ plugin, url }) => {
    const name = targets.length === rendered.length ? plugin.name : null;
    return isOci ? checkOci(url, name, ctx, oci) : checkUrl(url, name, ctx);
  });
  return [head, ...checks];
}

function dedupe<T extends { url: string }>(list: readonly T[]): T[] {
  const seen = new Set<string>();
  return list.filter((r) => !seen.has(r.url) && seen.add(r.url));
}

export function checkUrls(urls: readonly string[], ctx: CheckContext): Promise<CheckResult[]> {
  return pool(urls, ctx.concurrency, (u) => checkUrl(u, null, ctx));
}

export function checkOciRefs(refs: readonly string[], ctx: CheckContext, oci: OciOptions): Promise<CheckResult[]> {
  return pool(refs, ctx.concurrency, (r) => checkOci(r, null, ctx, oci));
}

export { UnreadableInput };

export async function checkModule(target: string, ctx: CheckContext, sha256: string | undefined): Promise<CheckResult> {
  if (/^https?:\/\//i.test(target)) return checkUrl(target, null, ctx, 'module', sha256);
  let size: number;
  try {
    const st = await stat(target);
    if (!st.isFile()) throw new UnreadableInput(`cannot read ${target}: not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof UnreadableInput) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UnreadableInput(`cannot read ${target}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (code ?? 'error').toLowerCase()}`);
  }
  const base = { kind: 'module' as const, target, plugin: null };
  if (size > MAX_MODULE_BYTES) {
    return { ...base, ok: false, severity: 'error', cause: 'wasm-module-corrupt', title: `${Math.round(size / 1048576)} MB: more than the 64 MB a plugin module may be`, remediation: ['Check that this is the plugin module, not a bundle or disk image.'], details: { bytes: size } };
  }
  const bytes = await readFile(target);
  const v = await checkModuleBytes(bytes, { gateway: ctx.gateway, sha256, compileTimeoutMs: ctx.compileTimeoutMs });
  return { ...base, ok: v.severity !== 'error', severity: v.severity, cause: v.cause, title: v.title, remediation: v.remediation, details: v.details };
}

/** map() with at most `n` at a time, results in input order. */
export async function pool<T, R>(items: readonly T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  return out;
}
