// Where the main thread's time goes, stage by stage, on one log: scan + assemble (lines → events),
// match (events → findings), diagnose (findings → incidents, and the snapshot). In one process,
// repeated, the best run of each kept: a change to one stage shows there to a few percent, where
// the wall time of `analyze` on this machine varies by ten. Not a goal (bench/run.ts has those).
//
//   node dist/bench/stages.js FILE [--runs 5]
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
}
const ms = (v: number): string => v.toFixed(1).padStart(8);
process.stdout.write(`${file}: ${counts.events} events, ${counts.findings} findings, ${counts.incidents} incidents; best of ${runs} (ms)\n`);
for (const [k, v] of Object.entries(best)) process.stdout.write(`${k.padEnd(10)}${ms(v)}  ${((v * 1000) / counts.events).toFixed(2)} µs/event\n`);
