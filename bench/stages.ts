// Where the main thread's time goes, stage by stage, on one log: scan + assemble (lines → events),
// match (events → findings), diagnose (findings → incidents, and the snapshot). In one process,
// repeated, the best run of each kept: a change to one stage shows there to a few percent, where
// the wall time of `analyze` on this machine varies by ten. Not a goal (bench/run.ts has those).
//
//   node dist/bench/stages.js FILE [--runs 5] [--by-kind]
//
// --by-kind: also the match and diagnose time of each kind of event (failed requests, one-line events, multi-line
// lists, crash blocks), timed event by event in the last run (the clock adds ~0.1 µs per event).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadRunCatalog } from '../src/catalog/compiled.js';
import { matchEvent } from '../src/catalog/match.js';
import { scanPlanFor } from '../src/catalog/scan-plan.js';
import { CAUSES_READING_PLUGIN_ACTIVITY } from '../src/diagnose/correlations.js';
import { Diagnoser } from '../src/diagnose/diagnose.js';
import { scannerOptionsFor } from '../src/lines/plan.js';
import { LineScanner } from '../src/lines/scanner.js';
import type { Finding, LogEvent } from '../src/model.js';
import { Assembler } from '../src/parse/assemble.js';
import { READ_CHUNK } from '../src/limits.js';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  process.stderr.write('usage: node dist/bench/stages.js FILE [--runs N]\n');
  process.exit(2);
}
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
const bytes = readFileSync(file);
const byKind = args.includes('--by-kind');

/** What kind of event this is, for --by-kind. */
function kindOf(e: LogEvent): string {
  if (e.access) return 'failed request';
  if (e.kind === 'crash') return 'crash block';
  if (e.kind) return `block (${e.kind})`;
  return e.message.includes('\n') ? 'multi-line' : 'one-line';
}
const kinds = new Map<string, { events: number; findings: number; match: number; diagnose: number }>();
const kindRow = (k: string): { events: number; findings: number; match: number; diagnose: number } => {
  let row = kinds.get(k);
  if (!row) kinds.set(k, (row = { events: 0, findings: 0, match: 0, diagnose: 0 }));
  return row;
};

const best = { assemble: Infinity, match: Infinity, diagnose: Infinity, snapshot: Infinity };
let counts = { events: 0, findings: 0, incidents: 0 };
for (let r = 0; r < runs; r++) {
  // A fresh catalog each run: matching's memories start empty, as in one `analyze`.
  const catalog = await loadRunCatalog(undefined);
  const plan = scanPlanFor(catalog, { contextLane: true }, CAUSES_READING_PLUGIN_ACTIVITY);
  const events: LogEvent[] = [];
  const assembler = new Assembler((e) => events.push(e));
  const scanner = new LineScanner(assembler, scannerOptionsFor(plan)());
  let t = performance.now();
  assembler.beginInput(file);
  for (let at = 0; at < bytes.length; at += READ_CHUNK) scanner.push(bytes.subarray(at, Math.min(bytes.length, at + READ_CHUNK)));
  scanner.end();
  assembler.flush();
  best.assemble = Math.min(best.assemble, performance.now() - t);

  t = performance.now();
  const findings: Finding[][] = events.map((e) => matchEvent(catalog, e));
  best.match = Math.min(best.match, performance.now() - t);

  const diagnoser = new Diagnoser();
  t = performance.now();
  for (let i = 0; i < events.length; i++) diagnoser.onEvent(events[i]!, findings[i]!);
  best.diagnose = Math.min(best.diagnose, performance.now() - t);
  t = performance.now();
  const d = diagnoser.snapshot([], assembler.stats);
  best.snapshot = Math.min(best.snapshot, performance.now() - t);
  counts = { events: events.length, findings: findings.reduce((n, f) => n + f.length, 0), incidents: d.incidents.length };
  if (byKind && r === runs - 1) {
    // Again, event by event: a fresh catalog and diagnoser, so the memories start as in the timed run.
    const fresh = await loadRunCatalog(undefined);
    const timed = new Diagnoser();
    for (const e of events) {
      const row = kindRow(kindOf(e));
      let t0 = performance.now();
      const f = matchEvent(fresh, e);
      row.match += performance.now() - t0;
      t0 = performance.now();
      timed.onEvent(e, f);
      row.diagnose += performance.now() - t0;
      row.events++;
      row.findings += f.length;
    }
  }
}
const ms = (v: number): string => v.toFixed(1).padStart(8);
process.stdout.write(`${file}: ${counts.events} events, ${counts.findings} findings, ${counts.incidents} incidents; best of ${runs} (ms)\n`);
for (const [k, v] of Object.entries(best)) process.stdout.write(`${k.padEnd(10)}${ms(v)}  ${((v * 1000) / counts.events).toFixed(2)} µs/event\n`);
if (byKind) {
  process.stdout.write(`by kind (last run, timed per event): events, findings, match ms (µs/event), diagnose ms (µs/event)\n`);
  for (const [k, v] of [...kinds].sort((a, b) => b[1].match + b[1].diagnose - a[1].match - a[1].diagnose)) {
    const per = (x: number): string => `${x.toFixed(1)} (${((x * 1000) / v.events).toFixed(2)})`;
    process.stdout.write(`  ${k.padEnd(20)} ${String(v.events).padStart(7)} ${String(v.findings).padStart(7)}  ${per(v.match).padStart(16)}  ${per(v.diagnose).padStart(16)}\n`);
  }
}
