// The command line as users and scripts meet it: exit codes (docs/contracts.md#exit-codes), one-line
// errors, stdin, a closed pipe, --output safety, SIGINT, and the JSON contract (§5).
import { mkdtempSync, readFileSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, runShell, spawn } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hd-cli-'));
const mixed = join(ROOT, 'test/fixtures/mixed.log');
const healthy = join(dir, 'healthy.log');
writeFileSync(healthy, '2025-02-18T02:38:22.411810Z\tinfo\tUsing existing certs\n2025-02-18T02:38:22.639059Z\tinfo\tads\tAll caches have been synced up in 233.30387ms, marking server ready\n');

const oneLineError = (stderr: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^higress-doctor: /);
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe('exit codes and errors', () => {
  it('exits 1 when an incident is at or above --fail-on, 0 otherwise', () => {
    expect(runCli(['analyze', mixed]).code).toBe(1);
    expect(runCli(['analyze', mixed, '--fail-on', 'none']).code).toBe(0);
    expect(runCli(['analyze', healthy]).code).toBe(0);
    expect(runCli(['analyze', healthy, '--fail-on', 'info']).code).toBe(0);
  });
  it('exits 2 with one line for a missing file, a bad option, an empty folder, a device', () => {
    for (const args of [['analyze', join(dir, 'missing.log')], ['analyze', mixed, '--format', 'yaml'], ['analyze', mkdtempSync(join(dir, 'empty-'))], ['analyze', '/dev/null'], ['analyze', mixed, '--frobnicate']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      oneLineError(r.stderr);
    }
  });
  it('a log that is not a gateway log: exit 2 and one line, and with --format json still its one document', () => {
    const nginx = join(dir, 'nginx-access.log');
    writeFileSync(nginx, '127.0.0.1 - - [07/Dec/2026:05:00:01 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.0"\n10.0.0.9 - - [07/Dec/2026:05:00:02 +0000] "GET /x HTTP/1.1" 404 0 "-" "curl/8.0"\n');
    const text = runCli(['analyze', nginx]);
    expect(text.code).toBe(2);
    expect(text.stdout).toBe('');
    oneLineError(text.stderr);
    const json = runCli(['analyze', nginx, '--format', 'json']);
    expect(json.code).toBe(2);
    oneLineError(json.stderr);
    expect(json.stderr).toMatch(/none of the 2 lines read is in a layout a Higress gateway writes/);
    const doc = JSON.parse(json.stdout) as { schemaVersion: number; stats: { lines: number; unparsed: number }; incidents: unknown[] };
    expect(doc.schemaVersion).toBe(1);
    expect(doc.incidents).toEqual([]);
    expect(doc.stats).toMatchObject({ lines: 2, unparsed: 2 });
    // --output gets the same document.
    const out = join(dir, 'not-gateway.json');
    const r = runCli(['analyze', nginx, '--format', 'json', '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(json.stdout);
  });
  it('says so when the default input is absent', () => {
    const r = runCli(['analyze']);
    if (r.code === 2) expect(r.stderr).toMatch(/\/var\/log\/higress\/gateway\.log/);
  });
  it('reports permission denied in one line', () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const f = join(dir, 'secret.log');
    writeFileSync(f, 'x\n');
    chmodSync(f, 0o000);
    const r = runCli(['analyze', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/permission denied/);
  });
  it('an invalid pattern folder is a compiler-style error naming file, line and field', () => {
    const pd = join(dir, 'badpatterns');
    mkdirSync(pd);
    writeFileSync(join(pd, 'x.yaml'), 'id: HD-X-001\ntitle: t\nseverity: error\nmatch:\n  literal: a\n  regex: "(unclosed"\ncause: oom\nconfidence: 0.5\nexplanation: a long enough explanation here\nremediation: [x]\nexamples:\n  match:\n    - { text: a, cause: oom }\n');
    const r = runCli(['analyze', mixed, '--patterns', pd]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/x\.yaml:6:\d+: match\.regex: invalid regular expression/);
  });
});

describe('inputs and outputs', () => {
  it('reads stdin with -', () => {
    const r = runCli(['analyze', '-', '--format', 'json', '--fail-on', 'none'], { input: readFileSync(mixed) });
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.inputs[0].name).toBe('stdin');
    expect(d.incidents.length).toBeGreaterThan(0);
  });
  it('ends quietly when stdout closes early, with the exit code it would have had', () => {
    const r = runShell(`node ${BIN} analyze ${mixed} | head -1; echo "code=\${PIPESTATUS[0]}"`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/code=1/);
  });
  it('--output writes the file, and refuses to overwrite an input', () => {
    const out = join(dir, 'report.json');
    expect(runCli(['analyze', mixed, '--format', 'json', '-o', out, '--fail-on', 'none']).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).schemaVersion).toBe(1);
    const copy = join(dir, 'input.log');
    writeFileSync(copy, readFileSync(mixed));
    const r = runCli(['analyze', copy, '-o', copy]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to write/);
    expect(readFileSync(copy)).toEqual(readFileSync(mixed));
  });
  it('--output on a full disk is an error with a non-zero exit', () => {
    const r = runCli(['analyze', mixed, '-o', '/dev/full']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no space left on device/);
  });
  it('prints the diagnosis so far and exits 130 on SIGINT', async () => {
    const child = spawn(process.execPath, [BIN, 'analyze', '-', '--format', 'json'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.write(readFileSync(mixed));
    // Signal once the CLI has read what was written and waits for more: its CPU time (Linux: /proc/<pid>/stat) has
    // stopped growing for 300 ms. A fixed pause from the spawn could end before a loaded machine had even started node.
    const cpu = (): number => {
      try {
        const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return Number(f[11]) + Number(f[12]);
      } catch {
        return -1;
      }
    };
    if (cpu() < 0) await new Promise((r) => setTimeout(r, 1500));
    else {
      let last = -1;
      let still = 0;
      for (const deadline = Date.now() + 20_000; Date.now() < deadline && still < 6; ) {
        await new Promise((r) => setTimeout(r, 50));
        const now = cpu();
        still = now === last && now > 0 ? still + 1 : 0;
        last = now;
      }
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(JSON.parse(out).incidents.length).toBeGreaterThan(0);
  });
});

describe('JSON contract (docs/contracts.md#json-output)', () => {
  const d = JSON.parse(runCli(['analyze', mixed, '--format', 'json']).stdout);
  it('has every top-level field with its type', () => {
    expect(d.schemaVersion).toBe(1);
    expect(d.tool).toEqual({ name: 'higress-doctor', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(d.inputs).toEqual([{ name: 'mixed.log', lines: expect.any(Number), bytes: readFileSync(mixed).length }]);
    expect(d.stats).toMatchObject({ lines: expect.any(Number), events: expect.any(Number), unparsed: expect.any(Number) });
    expect(d.environment).toMatchObject({ envoyVersion: '1.36.4-dev', higressVersion: '2.2.x', logLayouts: expect.arrayContaining(['envoy', 'istio-go', 'access-json']) });
    expect(Array.isArray(d.incidents)).toBe(true);
    expect(Array.isArray(d.unclassified)).toBe(true);
  });
  it('gives every incident every contract field', () => {
    const causes = new Set(['wasm-fetch-bad-address', 'wasm-fetch-network', 'wasm-fetch-auth', 'wasm-fetch-tls', 'wasm-image-format', 'wasm-module-corrupt', 'wasm-module-incompatible', 'wasm-plugin-config', 'wasm-plugin-crash', 'wasm-vm-limit', 'envoy-crash', 'oom', 'bad-config', 'xds-disconnected', 'tls-certificate', 'port-bind', 'upstream-unavailable', 'unknown']);
    expect(d.incidents.length).toBeGreaterThan(2);
    for (const i of d.incidents) {
      expect(i.id).toMatch(/^[0-9a-f]{12}$/);
      expect(causes.has(i.cause)).toBe(true);
      expect(typeof i.category).toBe('string');
      expect(['info', 'warning', 'error', 'critical']).toContain(i.severity);
      expect(i.confidence).toBeGreaterThanOrEqual(0);
      expect(i.confidence).toBeLessThanOrEqual(1);
      expect(typeof i.title).toBe('string');
      expect(typeof i.subject).toBe('object');
      expect(i.count).toBeGreaterThan(0);
      expect(i.firstSeen === null || typeof i.firstSeen === 'string').toBe(true);
      expect(i.lastSeen === null || typeof i.lastSeen === 'string').toBe(true);
      expect(i.evidence.length).toBeGreaterThan(0);
      for (const e of i.evidence) expect(e).toEqual({ input: 'mixed.log', line: expect.any(Number), text: expect.any(String) });
      for (const a of i.alternatives) {
        expect(causes.has(a.cause)).toBe(true);
        expect(a.confidence).toBeLessThanOrEqual(1);
      }
      expect(i.remediation.length).toBeGreaterThan(0);
      expect(i.patterns.every((p: string) => /^HD-[A-Z]+-\d{3}$/.test(p))).toBe(true);
    }
  });
  it('evidence points at the real lines of the input', () => {
    const lines = readFileSync(mixed, 'utf8').split('\n');
    // Wrapped lines (Docker json-file here) are shown unwrapped: the raw line holds them escaped.
    for (const i of d.incidents) {
      for (const e of i.evidence) {
        const head = e.text.slice(0, 40);
        const raw = lines[e.line - 1]!;
        expect(raw.includes(head) || raw.includes(JSON.stringify(head).slice(1, -1)), `${e.line}: ${head}`).toBe(true);
      }
    }
  });
  it('orders incidents: severity, then confidence, then count', () => {
    const rank = { critical: 3, error: 2, warning: 1, info: 0 } as Record<string, number>;
    const roots = d.incidents.filter((i: { rootOf: string | null }) => !i.rootOf);
    for (let k = 1; k < roots.length; k++) {
      const a = roots[k - 1];
      const b = roots[k];
      expect(rank[a.severity]! > rank[b.severity]! || (rank[a.severity] === rank[b.severity] && a.confidence >= b.confidence)).toBe(true);
    }
  });
});
