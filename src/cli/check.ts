// `higress-doctor check pattern|url|module|oci`: the command line of src/check/. Only commander is
// loaded up front; the checks load when one runs. Usage errors and unreadable inputs are exit 2.
import { Command, Option } from 'commander';
import type { CheckResult } from '../check/result.js';
import type { CheckContext } from '../check/run.js';
import type { OciOptions } from '../check/oci.js';
import type { PluginRef } from '../check/builtin-plugins.js';
import { InputError } from '../sources/open.js';
import { writeOutputFile, writeStdout } from './output.js';

export class CheckUsageError extends Error {}

interface Common {
  format: 'text' | 'markdown' | 'json';
  failOn: 'none' | 'info' | 'warning' | 'error' | 'critical';
  timeout: number;
  connectTimeout: number;
  concurrency: number;
  gateway?: string;
  output?: string;
  color: boolean;
}

const positive = (name: string, max: number) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new CheckUsageError(`${name} takes a number between 0 and ${max} (got ${v})`);
  return n;
};

function common(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text', 'text'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a check is at or above this (warning: caveats too; error: faults)').choices(['none', 'info', 'warning', 'error', 'critical']).default('error', 'error'))
    .option('--gateway <version>', 'the Higress version whose host functions to check modules against (default: newest known)')
    .option('--timeout <seconds>', 'total time per request', positive('--timeout', 600), 15)
    .option('--connect-timeout <seconds>', 'time to connect', positive('--connect-timeout', 600), 3)
    .option('--concurrency <n>', 'requests at a time', positive('--concurrency', 64), 4)
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--no-color', 'no colour in text output');
}

function ociOptions(cmd: Command): Command {
  return cmd
    .option('--auth <user:password>', 'registry credentials (default: a docker config.json, else anonymous)')
    .option('--docker-config <file>', "a docker config.json, e.g. a pull secret's .dockerconfigjson")
    .option('--plain-http', 'talk plain HTTP to the registry (default only for loopback, .local and private addresses, as the gateway does)');
}

export function addCheckCommand(program: Command, setCode: (code: number) => void): void {
  const check = program
    .command('check')
    .description('before the gateway fetches: prove plugin URLs, URL patterns, modules and OCI images right, or name the fault (same cause ids as analyze)');

  common(ociOptions(check.command('pattern')))
    .description('HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN: check the pattern, then the URL of each plugin')
    .argument('<pattern>', "the pattern, in single quotes: 'http://<host>:<port>/plugins/${name}/${version}/plugin.wasm'")
    .option('--plugins <list>', 'name[:version],… (default: the plugins Higress ships, with their versions)')
    .option('--from-log <file>', 'check the plugins named in this gateway log instead (repeatable)', (v: string, p: string[]) => [...p, v], [] as string[])
    .action(async (pattern: string, o: Common & OciArgs & { plugins?: string; fromLog: string[] }) => {
      const plugins = await pluginList(o.plugins, o.fromLog);
      setCode(await run(o, (ctx, run) => run.checkPattern(pattern, plugins, ctx, ociOpts(o)), o.fromLog));
    });

  common(check.command('url'))
    .description('request plugin URLs and check that each answers with a module the gateway loads')
    .argument('<url...>')
    .action(async (urls: string[], o: Common) => {
      setCode(await run(o, (ctx, run) => run.checkUrls(urls, ctx)));
    });

  common(check.command('module'))
    .description('check a module file or URL: Wasm, its checksum, its ABI and imports against the gateway')
    .argument('<file-or-url>')
    .option('--sha256 <hex>', 'the checksum the WasmPlugin names')
    .action(async (target: string, o: Common & { sha256?: string }) => {
      const sha = o.sha256?.trim().toLowerCase();
      if (sha !== undefined && !/^[0-9a-f]{64}$/.test(sha)) throw new CheckUsageError(`--sha256 takes 64 hex digits (got ${o.sha256})`);
      setCode(await run(o, async (ctx, run) => [await run.checkModule(target, ctx, sha)], /^https?:\/\//i.test(target) ? [] : [target]));
    });

  common(ociOptions(check.command('oci')))
    .description('resolve plugin images through the registry API and check their packaging and module')
    .argument('<ref...>', 'oci://host[:port]/repo:tag or host/repo:tag')
    .action(async (refs: string[], o: Common & OciArgs) => {
      setCode(await run(o, (ctx, run) => run.checkOciRefs(refs, ctx, ociOpts(o))));
    });
}

interface OciArgs {
  auth?: string;
  dockerConfig?: string;
  plainHttp?: boolean;
}

function ociOpts(o: OciArgs): OciOptions {
  let auth: OciOptions['auth'];
  if (o.auth !== undefined) {
    const i = o.auth.indexOf(':');
    if (i <= 0) throw new CheckUsageError('--auth takes user:password');
    auth = { user: o.auth.slice(0, i), password: o.auth.slice(i + 1) };
  }
  return { plainHttp: Boolean(o.plainHttp), auth, dockerConfig: o.dockerConfig };
}

type RunModule = typeof import('../check/run.js');

/** `inputs`: local files the report must never overwrite (--output). */
async function run(o: Common, body: (ctx: CheckContext, run: RunModule) => Promise<CheckResult[]>, inputs: readonly string[] = []): Promise<number> {
  const [runMod, { gatewayFor }, report] = await Promise.all([import('../check/run.js'), import('../check/host-functions.js'), import('../check/report.js')]);
  const gateway = gatewayFor(o.gateway);
  if (!gateway) throw new CheckUsageError(`--gateway takes a Higress version such as 2.1.3 (got ${o.gateway})`);
  const ctx: CheckContext = {
    gateway,
    fetch: { connectTimeoutMs: o.connectTimeout * 1000, totalTimeoutMs: o.timeout * 1000, maxBytes: 0, maxRedirects: 5, env: process.env },
    compileTimeoutMs: Math.max(10_000, o.timeout * 1000),
    concurrency: Math.floor(o.concurrency),
  };
  let checks: CheckResult[];
  try {
    checks = await body(ctx, runMod);
  } catch (e) {
    if (e instanceof runMod.UnreadableInput) throw new InputError(e.message);
    throw e;
  }
  const r = { gateway: gateway.label, checks };
  let text: string;
  if (o.format === 'json') text = report.renderCheckJson(r);
  else if (o.format === 'markdown') text = report.renderCheckMarkdown(r);
  else {
    const { styleFor } = await import('../report/style.js');
    text = report.renderCheckText(r, styleFor({ isTTY: o.color !== false && !o.output && process.stdout.isTTY }));
  }
  if (o.output) writeOutputFile(o.output, text, inputs);
  else writeStdout(text);
  if (o.failOn === 'none') return 0;
  const worst = o.failOn === 'info' || o.failOn === 'warning' ? ['warning', 'error'] : ['error'];
  return checks.some((c) => worst.includes(c.severity)) ? 1 : 0;
}

/** --plugins, or the plugin names a gateway log mentions, or the built-in list. */
async function pluginList(spec: string | undefined, logs: readonly string[]): Promise<PluginRef[]> {
  const { BUILTIN_PLUGINS, builtinVersion } = await import('../check/builtin-plugins.js');
  if (spec !== undefined) {
    const list = spec.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
      const [name, version] = s.split(':');
      if (!name || !/^[\w.-]+$/.test(name) || (version !== undefined && !/^[\w.+-]+$/.test(version))) throw new CheckUsageError(`--plugins takes name[:version],… (got ${s})`);
      return { name, version: version ?? builtinVersion(name) ?? '1.0.0' };
    });
    if (list.length === 0) throw new CheckUsageError('--plugins names no plugin');
    return list;
  }
  if (logs.length === 0) return [...BUILTIN_PLUGINS];
  const { pluginsInLogs } = await import('./check-log.js');
  const found = await pluginsInLogs(logs);
  if (found.length === 0) throw new InputError(`no plugin names found in ${logs.join(', ')}: give them with --plugins`);
  return found.map((p) => ({ name: p.name, version: p.version ?? builtinVersion(p.name) ?? '1.0.0' }));
}
