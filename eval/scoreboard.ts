// Every real set at once, against the scores kept in eval/real/scores.json: which excerpts a change made
// right and, above all, which it made wrong. A count can hide a swap (one fixed, another broken); the
// lists of misses by file cannot. Not part of `npm test` (the suite never reads real excerpts).
//
//   node dist/eval/scoreboard.js              # a table, then what changed against scores.json; exit 1 on a regression
//   node dist/eval/scoreboard.js --update     # write the scores of this build to eval/real/scores.json
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadCatalog, packageRoot } from '../src/catalog/load.js';
import { evaluateReal } from './evaluate.js';

interface SetScore {
  faults: [right: number, total: number];
  healthy: [clean: number, total: number];
  /** Files of the set the build gets wrong, sorted. */
  misses: string[];
}

const root = packageRoot();
const scoresFile = join(root, 'eval/real/scores.json');
const update = process.argv.includes('--update');

/** The shared development set beside the repository (when present), then eval/real/set2, set3, … in number order. */
function setDirs(): string[] {
  const dirs: string[] = [];
  const shared = join(root, '../shared/real-logs');
  if (existsSync(join(shared, 'cases.json'))) dirs.push(shared);
  const real = join(root, 'eval/real');
  const sets = readdirSync(real, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^set\d+$/.test(d.name) && existsSync(join(real, d.name, 'cases.json')))
    .map((d) => d.name)
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  return [...dirs, ...sets.map((s) => join(real, s))];
}

const catalog = loadCatalog();
const now: Record<string, SetScore> = {};
for (const dir of setDirs()) {
  const r = evaluateReal(dir, catalog);
  const name = dir.endsWith('shared/real-logs') ? 'shared' : relative(join(root, 'eval/real'), dir);
  now[name] = {
    faults: [r.faultCorrect, r.faultTotal],
    healthy: [r.healthyTotal - r.falseAlarms, r.healthyTotal],
    misses: r.outcomes.filter((o) => !o.ok).map((o) => o.label.file).sort(),
  };
}

const before: Record<string, SetScore> = existsSync(scoresFile) ? (JSON.parse(readFileSync(scoresFile, 'utf8')) as Record<string, SetScore>) : {};
const lines: string[] = ['set       faults      healthy   (was)'];
let worse = 0;
const changes: string[] = [];
for (const [name, s] of Object.entries(now)) {
  const b = before[name];
  const was = b ? `${b.faults[0]}/${b.faults[1]} + ${b.healthy[0]}/${b.healthy[1]}` : 'new';
  lines.push(`${name.padEnd(9)} ${`${s.faults[0]}/${s.faults[1]}`.padEnd(11)} ${`${s.healthy[0]}/${s.healthy[1]}`.padEnd(9)} (${was})`);
  if (!b) continue;
  const broke = s.misses.filter((f) => !b.misses.includes(f));
  const fixed = b.misses.filter((f) => !s.misses.includes(f) && !broke.includes(f));
  for (const f of broke) changes.push(`  WORSE  ${name}/${f}`);
  for (const f of fixed) changes.push(`  better ${name}/${f}`);
  worse += broke.length;
}
const total = Object.values(now).reduce((t, s) => [t[0]! + s.faults[0] + s.healthy[0], t[1]! + s.faults[1] + s.healthy[1]], [0, 0]);
lines.push(`all       ${total[0]}/${total[1]} excerpts right`);
if (changes.length) lines.push('', 'against eval/real/scores.json:', ...changes);
else if (Object.keys(before).length) lines.push('', 'against eval/real/scores.json: no excerpt changed');
process.stdout.write(`${lines.join('\n')}\n`);
if (update) {
  writeFileSync(scoresFile, formatScores(now));
  process.stdout.write(`wrote ${relative(process.cwd(), scoresFile)}\n`);
} else if (worse > 0) process.exitCode = 1;

/** One set a few lines: its two scores on one line, then its misses one a line (a diff shows which excerpt moved). */
function formatScores(scores: Record<string, SetScore>): string {
  const sets = Object.entries(scores).map(([name, s]) => {
    const misses = s.misses.length ? `[\n${s.misses.map((f) => `   ${JSON.stringify(f)}`).join(',\n')}\n  ]` : '[]';
    return ` ${JSON.stringify(name)}: {\n  "faults": ${JSON.stringify(s.faults)}, "healthy": ${JSON.stringify(s.healthy)},\n  "misses": ${misses}\n }`;
  });
  return `{\n${sets.join(',\n')}\n}\n`;
}
