// The JSON report is written in pieces (report/json.ts jsonPieces) so that a busy log's megabytes of report are
// never one string: the pieces must make exactly the document JSON.stringify makes of the whole, whatever the
// log text holds — and the CLI must write them all, to stdout or --output, and stop quietly at a closed pipe.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../src/model.js';
import { diagnoseLog } from './helpers/diagnose.js';
import { diagnosisJson, jsonPieces, renderJson } from '../src/report/json.js';
import { ROOT, runCli, runShell, BIN } from './helpers/cli.js';

const diagnose = diagnoseLog;

/** The document as one JSON.stringify of the whole makes it (what renderJson wrote before it came in pieces). */
const whole = (d: Diagnosis, extra: Record<string, unknown> = {}): string => `${JSON.stringify({ ...diagnosisJson(d), ...extra }, null, 2)}\n`;

const SAMPLES = join(ROOT, 'samples');

describe('the JSON report in pieces', () => {
  it('is the document JSON.stringify makes of the whole, for every sample (none, one and many incidents)', () => {
    const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.log'));
    const all = files.map((f) => readFileSync(join(SAMPLES, f), 'utf8')).join('\n');
    let counts = new Set<number>();
    for (const log of [...files.map((f) => readFileSync(join(SAMPLES, f), 'utf8')), all, '']) {
      const d = diagnose(log);
      counts.add(d.incidents.length);
      expect(renderJson(d)).toBe(whole(d));
      expect(renderJson(d, { redacted: { ip: 2 } })).toBe(whole(d, { redacted: { ip: 2 } }));
    }
    // The samples cover the three shapes of the incidents array.
    counts = new Set([...counts].map((n) => Math.min(n, 2)));
    expect([...counts].sort()).toEqual([0, 1, 2]);
  });

  it('holds however the log text imitates the hole or the incidents key (400 runs)', () => {
    const tricky = fc.constantFrom('\u0000incidents\u0000', '"incidents": ', '\n  "incidents": "\u0000incidents\u0000"', '\\n    ', '],', '  ]', '{', '"');
    fc.assert(
      fc.property(fc.array(fc.oneof(tricky, fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 6 }), (parts) => {
        const text = parts.join('');
        const log = [
          `[2026-05-20 08:20:31.114][12][critical][wasm] [external/envoy/source/extensions/common/wasm/wasm.cc:119] wasm log ${text}: panicked at 'x'`,
          `2026-05-20T08:20:31.114Z\terror\twasm\tcannot fetch Wasm module oci://r.example/${encodeURIComponent(text)}:1.0: status code 404`,
          `[2026-05-20 08:20:32.000][12][error][misc] [x.cc:1] ${text}`,
        ].join('\n');
        const d = diagnose(log);
        expect(renderJson(d)).toBe(whole(d));
        const pieces = [...jsonPieces(d)];
        expect(pieces.length).toBe(d.incidents.length === 0 ? 3 : d.incidents.length + 3);
      }),
      { numRuns: 400 },
    );
  });
});

describe('the CLI writes every piece', () => {
  const log = join(SAMPLES, 'offline-seed-incident.log');
  it('to stdout and to --output, the same document', () => {
    const r = runCli(['analyze', log, '--format', 'json', '--fail-on', 'none']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as { incidents: unknown[] };
    expect(d.incidents.length).toBeGreaterThan(1);
    const dir = mkdtempSync(join(tmpdir(), 'hd-pieces-'));
    const file = join(dir, 'report.json');
    expect(runCli(['analyze', log, '--format', 'json', '--fail-on', 'none', '-o', file]).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(r.stdout);
    rmSync(dir, { recursive: true, force: true });
  });
  it('stops quietly when the reader goes away after the first line', () => {
    const r = runShell(`node ${BIN} analyze ${log} --format json | head -1; echo "code=\${PIPESTATUS[0]}"`);
    expect(r.stdout).toBe('{\ncode=1\n');
    expect(r.stderr).toBe('');
  });
});
