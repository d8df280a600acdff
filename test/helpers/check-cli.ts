// Run `higress-doctor check` without blocking this process (its HTTP servers must keep answering),
// in one or all three output formats: as a process (runCheck), or in this process (inAllFormats).
import { spawn } from 'node:child_process';
import { BIN, ROOT } from './cli.js';
import { cliInProcess } from './in-process.js';

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCheck(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const base = { ...process.env };
    // The tests decide about proxies themselves.
    for (const k of PROXY_VARIABLES) delete base[k];
    const p = spawn(process.execPath, [BIN, 'check', ...args], { cwd: ROOT, env: { ...base, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface JsonCheck {
  target: string;
  plugin: string | null;
  ok: boolean;
  cause: string | null;
  title: string;
  kind: string;
  severity: string;
  remediation: string[];
  details: Record<string, unknown>;
}

export interface AllFormats {
  code: number | null;
  checks: JsonCheck[];
  json: Run;
  text: Run;
  markdown: Run;
}

/** `check ARGS` in this process (helpers/in-process.ts), with the environment runCheck gives the real CLI. */
export function checkInProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const noProxy = Object.fromEntries(PROXY_VARIABLES.map((k) => [k, undefined]));
  return cliInProcess(['check', ...args], { env: { ...noProxy, ...env } });
}

/**
 * The same check in json, text and markdown; the exit code must agree across them. Run in this process, one
 * format after the other (three Node processes per check were most of the check tests' time); runCheck,
 * the real CLI, is for what is about the process: exit 2 and its one line, and one report of each command.
 */
export async function inAllFormats(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<AllFormats> {
  const [json, text, markdown] = [await checkInProcess([...args, '--format', 'json'], env), await checkInProcess([...args, '--format', 'text'], env), await checkInProcess([...args, '--format', 'markdown'], env)];
  if (json!.code !== text!.code || json!.code !== markdown!.code) throw new Error(`exit codes differ: json ${json!.code}, text ${text!.code}, markdown ${markdown!.code}`);
  let doc: { schemaVersion: number; checks: JsonCheck[] };
  try {
    doc = JSON.parse(json!.stdout) as typeof doc;
  } catch {
    throw new Error(`not JSON (exit ${json!.code}): ${json!.stdout.slice(0, 300)} ${json!.stderr.slice(0, 300)}`);
  }
  if (doc.schemaVersion !== 1) throw new Error('schemaVersion is not 1');
  return { code: json!.code, checks: doc.checks, json: json!, text: text!, markdown: markdown! };
}

/** The text block of the check on `target` (its header line and indented lines). */
export function textBlock(text: string, target: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^(?:OK|WARN|FAIL)\s/.test(l) && l.endsWith(`  ${target}`));
  if (i < 0) return '';
  let j = i + 1;
  while (j < lines.length && lines[j]!.startsWith('      ')) j++;
  return lines.slice(i, j).join('\n');
}

/** The Markdown table row of the check on `target`. */
export function markdownRow(md: string, target: string): string {
  return md.split('\n').find((l) => l.startsWith('| ') && l.includes(`\`${target}\``)) ?? '';
}
