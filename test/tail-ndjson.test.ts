// `tail --format ndjson` (and text) through a pipe while the test writes the log: every stdout line is one JSON
// object with a `type`; incident objects carry the JSON contract's incident fields; they arrive while tail runs
// (flushed at once, not at exit); counts continue across a rotation; SIGTERM ends with a summary and exit 0.
// Also stdin (`-`) and the one-line errors with exit 2.
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/tmux.js';
import { LineReader } from './helpers/tmux-proc.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const PLUGIN_URL = 'http://192.168.10.20:8080/plugins/key-auth/1.0.0/plugin.wasm';
const fetch404 = (s: number): string =>
  `2026-05-20T08:15:${String(s % 60).padStart(2, '0')}.517302Z\terror\twasm\tcannot fetch Wasm module ${PLUGIN_URL}: wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404`;
const noise = (n: number): string[] =>
  Array.from({ length: n }, () => '[2026-05-20 10:00:00.000][23][info][main] [external/envoy/source/server/server.cc:950] all clusters initialized');
// The contract fields of an incident (docs/contracts.md#json-output) that every incident object must carry.
const CONTRACT = ['id', 'cause', 'category', 'severity', 'confidence', 'title', 'subject', 'count', 'firstSeen', 'lastSeen', 'evidence', 'alternatives', 'remediation', 'patterns'];

type Obj = Record<string, unknown> & { type: string };
let dir = '';

beforeAll(() => {
  ensureBuilt(ROOT);
  dir = mkdtempSync(join(tmpdir(), 'hd-tail-ndjson-'));
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const incidents = (r: LineReader, cause: string): Obj[] => (r.json() as Obj[]).filter((o) => o.type === 'incident' && o.cause === cause);
const lastCount = (r: LineReader, cause: string): number => (incidents(r, cause).at(-1)?.count as number | undefined) ?? 0;

describe('tail --format ndjson through a pipe', () => {
  it('writes status, incident and summary objects as lines are appended and rotated', async () => {
    const log = join(dir, 'gateway.log');
    writeFileSync(log, `${[...noise(10), fetch404(1)].join('\n')}\n`);
    const r = new LineReader(ROOT, ['tail', log, '--format', 'ndjson']);
    try {
      await r.waitFor(() => lastCount(r, 'wasm-fetch-bad-address') === 1, 'the backlog incident');
      const start = r.json()[0] as Obj;
      expect(start).toMatchObject({ type: 'status', state: 'following', source: 'gateway.log', input: 'gateway.log' });

      appendFileSync(log, `${[fetch404(2), fetch404(3)].join('\n')}\n`);
      await r.waitFor(() => lastCount(r, 'wasm-fetch-bad-address') === 3, 'the count to reach 3');
      const update = incidents(r, 'wasm-fetch-bad-address').at(-1)!;
      expect(update).toMatchObject({ change: 'updated', count: 3 });
      expect(update.previousCount).toBeLessThan(3);
      for (const k of CONTRACT) expect(update, `missing ${k}`).toHaveProperty(k);
      expect(update.evidence).toContainEqual({ input: 'gateway.log', line: 11, text: fetch404(1) });

      // Rename rotation: line numbers restart in a new input, the incident keeps counting.
      renameSync(log, `${log}.1`);
      writeFileSync(log, `${fetch404(4)}\n`);
      await r.waitFor(() => lastCount(r, 'wasm-fetch-bad-address') === 4, 'the count to reach 4 after the rotation');
      const rotated = (r.json() as Obj[]).find((o) => o.type === 'status' && o.state === 'rotated');
      expect(rotated?.input).toMatch(/^gateway\.log \(after \d\d:\d\d:\d\d rotation\)$/);
      const after = incidents(r, 'wasm-fetch-bad-address').at(-1)!;
      expect(after.evidence).toContainEqual({ input: rotated!.input, line: 1, text: fetch404(4) });

      r.child.kill('SIGTERM');
      expect(await r.exited).toBe(0);
      const all = r.json() as Obj[];
      for (const o of all) {
        expect(['status', 'incident', 'summary']).toContain(o.type);
        expect(Number.isNaN(Date.parse(o.time as string))).toBe(false);
      }
      const summary = all.at(-1)!;
      expect(summary).toMatchObject({ type: 'summary', lines: 14, incidents: 1, restarts: 1 });
      expect(summary.inputs).toHaveLength(2);
      expect(r.errLines.join('\n')).toBe('');
    } finally {
      r.child.kill('SIGKILL');
    }
  }, 30_000);

  it('follows stdin (-) until it ends, then writes the summary and exits 0', async () => {
    const r = new LineReader(ROOT, ['tail', '-', '--format', 'ndjson'], { stdin: 'pipe' });
    try {
      r.child.stdin!.write(`${fetch404(1)}\n`);
      await r.waitFor(() => lastCount(r, 'wasm-fetch-bad-address') === 1, 'the first incident while stdin is open');
      r.child.stdin!.write(`${fetch404(2)}\n`);
      await r.waitFor(() => lastCount(r, 'wasm-fetch-bad-address') === 2, 'the update while stdin is open');
      r.child.stdin!.end(`${fetch404(3)}\n`);
      expect(await r.exited).toBe(0);
      const all = r.json() as Obj[];
      expect(lastCount(r, 'wasm-fetch-bad-address')).toBe(3);
      expect(incidents(r, 'wasm-fetch-bad-address').at(-1)!.evidence).toContainEqual({ input: 'stdin', line: 3, text: fetch404(3) });
      expect(all.find((o) => o.type === 'status' && o.state === 'ended')).toBeDefined();
      expect(all.at(-1)).toMatchObject({ type: 'summary', lines: 3, incidents: 1 });
    } finally {
      r.child.kill('SIGKILL');
    }
  }, 30_000);

  it('text: one line per new or changed incident on stdout, status and summary on stderr', async () => {
    const log = join(dir, 'text.log');
    writeFileSync(log, `${fetch404(1)}\n`);
    const r = new LineReader(ROOT, ['tail', log]);
    try {
      await r.waitFor(() => r.lines.length >= 1, 'the first incident line');
      expect(r.lines[0]).toMatch(/^\d\d:\d\d:\d\d {2}NEW {5}ERROR {5}wasm-fetch-bad-address {2}×1 {2}plugin=key-auth · url=http:\/\/192\.168\.10\.20:8080\/\S+ {2}— {2}.+ {2}\[text\.log:1\]$/);
      appendFileSync(log, `\x1b]0;owned\x07${fetch404(2)}\n`);
      await r.waitFor(() => r.lines.length >= 2, 'the update line');
      expect(r.lines[1]).toMatch(/UPDATE {2}ERROR {5}wasm-fetch-bad-address {2}×2 \(\+1\)/);
      expect(r.lines.join('\n')).not.toContain('\x1b');
      r.child.kill('SIGINT');
      expect(await r.exited).toBe(0);
      expect(r.errLines[0]).toMatch(/^higress-doctor: following .*text\.log \(backlog of 1000 lines\)$/);
      expect(r.errLines.at(-1)).toMatch(/^higress-doctor tail: 2 lines read from text\.log in \d+s; 1 incident \(1 error\)\.$/);
    } finally {
      r.child.kill('SIGKILL');
    }
  }, 30_000);
});

describe('tail errors: one line on stderr, exit 2', () => {
  const run = async (args: string[]): Promise<{ code: number | null; err: string[] }> => {
    const r = new LineReader(ROOT, args);
    const code = await r.exited;
    return { code, err: r.errLines };
  };

  it.each([
    [['tail', 'x.log', '-n', 'ten'], /--lines takes a whole number of lines ≥ 0 \(got ten\)/],
    [['tail', 'x.log', '--format', 'ui'], /--format ui needs a terminal on standard output/],
    [['tail', '.', '--format', 'text'], /cannot follow \.: is a directory/],
  ])('%j', async (args, message) => {
    const { code, err } = await run(args as string[]);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message as RegExp);
  });

  it('an unreadable file', async () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const f = join(dir, 'secret.log');
    writeFileSync(f, 'x\n', { mode: 0o000 });
    const { code, err } = await run(['tail', f, '--format', 'text']);
    expect(code).toBe(2);
    expect(err[0]).toMatch(/cannot read .*secret\.log: permission denied/);
  });

  it('a missing file is not an error: tail waits for it', async () => {
    mkdirSync(join(dir, 'empty'), { recursive: true });
    const r = new LineReader(ROOT, ['tail', join(dir, 'empty', 'gateway.log'), '--format', 'ndjson']);
    try {
      await r.waitFor(() => r.lines.length >= 1, 'the waiting status');
      expect(r.json()[0]).toMatchObject({ type: 'status', state: 'waiting' });
      r.child.kill('SIGTERM');
      expect(await r.exited).toBe(0);
    } finally {
      r.child.kill('SIGKILL');
    }
  }, 30_000);
});

describe('a reader that goes away (`| head -3`)', () => {
  // A real shell pipeline: head -3 takes the first three lines and exits; tail has nothing more to write (the
  // file is idle), so only watching stdout can notice. Exit within a few seconds, quietly, status 0.
  it('tail --format ndjson | head -3 exits by itself though no new line arrives', async () => {
    const log = join(dir, 'idle.log');
    // Three objects exactly: the following status and two new incidents, then nothing (each incident has one line).
    const xds =
      '[2026-05-20 08:15:44.031][1][warning][config] [external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:193] DeltaAggregatedResources gRPC config stream to xds-grpc closed since 62s ago: 14, connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:15012: connect: connection refused"';
    writeFileSync(log, `${[...noise(5), fetch404(1), xds].join('\n')}\n`);
    const bin = join(ROOT, 'bin', 'higress-doctor.js');
    const script = `"${process.execPath}" "${bin}" tail "${log}" --format ndjson 2>"${dir}/pipe.err" | head -3; echo "status=\${PIPESTATUS[0]:-?}"`;
    const { spawn } = await import('node:child_process');
    const started = Date.now();
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((res) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        res(null);
      }, 15_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        res(c);
      });
    });
    const took = Date.now() - started;
    expect(code, `still running after 15 s; stdout so far:\n${out}`).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines.at(-1)).toBe('status=0');
    expect(lines.slice(0, -1).map((l) => (JSON.parse(l) as Obj).type)).toEqual(['status', 'incident', 'incident']);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dir, 'pipe.err'), 'utf8')).toBe(''); // no stack trace, no message
    expect(took).toBeLessThan(10_000);
  }, 30_000);
});
