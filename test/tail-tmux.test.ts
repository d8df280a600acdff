// End to end: the real `node bin/higress-doctor.js tail FILE` in a 120×40 tmux pane while this test writes the
// log — fault lines, a crash block, a rename rotation, a copy-truncate — and reads the screen with capture-pane.
// Each incident must show within APPEAR_MS of its lines being written (the brief's 2 s), with the counts that
// `analyze` gives for everything written, across the rotation. Skipped (with a message) only without tmux.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tmux, cleanEnv, ensureBuilt, shellQuote, sleep, tmuxAvailable, waitForScreen } from './helpers/tmux.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BIN = join(ROOT, 'bin', 'higress-doctor.js');
const APPEAR_MS = Number(process.env.HD_E2E_APPEAR_MS ?? 2000);
// Starting node and loading the catalog is not what is measured.
const START_MS = 15_000;
const HAS_TMUX = tmuxAvailable();
if (!HAS_TMUX) console.warn('test/tail-tmux.test.ts skipped: tmux is not installed (CI installs it; apt-get install tmux)');

const PLUGIN_URL = 'http://192.168.10.20:8080/plugins/key-auth/1.0.0/plugin.wasm';
let seq = 0;
const ts = (): string => {
  seq++;
  return `2026-05-20T08:${String(10 + Math.floor(seq / 60)).padStart(2, '0')}:${String(seq % 60).padStart(2, '0')}.517302Z`;
};
/** An L4 pilot-agent line: the plugin's URL answers 404. */
const fetch404 = (): string =>
  `${ts()}\terror\twasm\tcannot fetch Wasm module ${PLUGIN_URL}: wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404`;
const noise = (n: number): string[] =>
  Array.from({ length: n }, (_, k) => `[2026-05-20 10:00:${String(k % 60).padStart(2, '0')}.000][23][info][main] [external/envoy/source/server/server.cc:950] all clusters initialized`);
const crashBlock = (): string[] => [
  '[2026-05-20 10:11:12.345][23][critical][backtrace] [external/envoy/source/server/backtrace.h:127] Caught Segmentation fault, suspect faulting address 0x0',
  '[2026-05-20 10:11:12.345][23][critical][backtrace] [external/envoy/source/server/backtrace.h:111] Backtrace (use tools/stack_decode.py to get line numbers):',
  '[2026-05-20 10:11:12.345][23][critical][backtrace] [external/envoy/source/server/backtrace.h:112] Envoy version: 3f0c2a9e7d5b41c8a6e2f1d0b9c8a7e6d5c4b3a2/1.36.4-dev/Clean/RELEASE/BoringSSL',
  '[2026-05-20 10:11:12.351][23][critical][backtrace] [external/envoy/source/server/backtrace.h:118] #0: __restore_rt [0x7f3a1c6b1520]',
  '[2026-05-20 10:11:12.361][23][critical][backtrace] [external/envoy/source/server/backtrace.h:118] #1: Envoy::Network::ConnectionImpl::onReadReady() [0x5593f0c1d2e0]',
];

/** Causes and counts `analyze` finds in everything written so far: what the screen must agree with. */
function analyzeCounts(dir: string, written: string[]): Map<string, number> {
  const all = join(dir, 'all-written.log.txt');
  writeFileSync(all, `${written.join('\n')}\n`);
  let out = '';
  try {
    out = execFileSync(process.execPath, [BIN, 'analyze', all, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8' });
  } finally {
    rmSync(all, { force: true });
  }
  const d = JSON.parse(out) as { incidents: Array<{ cause: string; count: number }> };
  const m = new Map<string, number>();
  for (const i of d.incidents) m.set(i.cause, (m.get(i.cause) ?? 0) + i.count);
  return m;
}

/** The count the list shows for a cause (the number left of the 18-bucket sparkline at 120 columns). */
function screenCount(screen: string, cause: string): number | null {
  for (const line of screen.split('\n')) {
    if (!new RegExp(`\\s(↳ )?${cause}\\s`).test(line)) continue;
    const m = /\s(\d[\d,]*) [·▁▂▃▄▅▆▇█]{18} /.exec(line);
    if (m) return Number(m[1]!.replace(/,/g, ''));
  }
  return null;
}

const agrees = (want: Map<string, number>) => (screen: string) => [...want].every(([cause, n]) => screenCount(screen, cause) === n);

describe.skipIf(!HAS_TMUX)('tail in tmux (120×40, one at 80×24)', () => {
  const tmux = new Tmux();
  let dir = '';

  beforeAll(() => {
    ensureBuilt(ROOT);
    dir = mkdtempSync(join(tmpdir(), 'hd-tail-tmux-'));
  }, 180_000);

  afterAll(() => {
    tmux.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const launch = (name: string, file: string, width = 120, height = 40): void => {
    const cmd = `cd ${shellQuote(dir)} && ${cleanEnv()} ${shellQuote(process.execPath)} ${shellQuote(BIN)} tail ${shellQuote(file)}; echo $? > ${shellQuote(join(dir, `${name}.exit`))}; sleep 60`;
    tmux.start(name, cmd, width, height);
  };

  it('shows incidents as lines are written, keeps counts across rotation and truncation, q exits 0', async () => {
    const log = join(dir, 'gateway.log');
    const written: string[] = [...noise(30)];
    writeFileSync(log, `${written.join('\n')}\n`);
    launch('main', 'gateway.log');
    await waitForScreen(tmux, 'main', (s) => /gateway\.log · following · 30 lines/.test(s), 'the header to say following, 30 lines', START_MS);

    const append = (lines: string[]): void => {
      written.push(...lines);
      appendFileSync(log, `${lines.join('\n')}\n`);
    };
    // What analyze says is computed before the lines are written: the wait starts when they are.
    const expectAfter = (lines: string[]): Map<string, number> => analyzeCounts(dir, [...written, ...lines]);

    // A plugin URL answering 404, three times.
    const first = [fetch404(), fetch404(), fetch404()];
    let want = expectAfter(first);
    append(first);
    expect(want.get('wasm-fetch-bad-address')).toBe(3);
    const took: number[] = [];
    took.push((await waitForScreen(tmux, 'main', agrees(want), `the 404 incident ×3 (${[...want]})`, APPEAR_MS)).ms);

    // An Envoy crash block: its record closes when the log goes quiet.
    want = expectAfter(crashBlock());
    append(crashBlock());
    expect([...want.keys()].some((c) => c.includes('crash'))).toBe(true);
    took.push((await waitForScreen(tmux, 'main', agrees(want), `the crash incident (${[...want]})`, APPEAR_MS)).ms);

    // Rename rotation: the old file is moved away, a new one takes the name.
    renameSync(log, `${log}.1`);
    const rotated = [fetch404(), fetch404()];
    want = expectAfter(rotated);
    written.push(...rotated);
    writeFileSync(log, `${rotated.join('\n')}\n`);
    expect(want.get('wasm-fetch-bad-address')).toBe(5);
    let seen = await waitForScreen(tmux, 'main', (s) => agrees(want)(s) && /rotated at \d\d:\d\d:\d\d/.test(s), `×5 after the rotation (${[...want]})`, APPEAR_MS);
    took.push(seen.ms);
    expect(seen.screen).toMatch(/1 restart of the file \(last: rotation at \d\d:\d\d:\d\d\)/);

    // Copy-truncate: the same file is emptied, then written again from the start.
    const again = [fetch404()];
    want = expectAfter(again);
    await sleep(300);
    writeFileSync(log, '');
    await sleep(400);
    append(again);
    expect(want.get('wasm-fetch-bad-address')).toBe(6);
    seen = await waitForScreen(tmux, 'main', (s) => agrees(want)(s) && /truncated at \d\d:\d\d:\d\d/.test(s), `×6 after the truncation (${[...want]})`, APPEAR_MS);
    took.push(seen.ms);
    console.info(`tail-tmux: on screen after ${took.join(', ')} ms (404s, crash, rotation, truncation)`);
    const lines = 30 + 3 + crashBlock().length + 2 + 1;
    expect(seen.screen).toContain(`${lines} lines`);

    // The detail of the 404 incident: evidence line numbers name the input they count in.
    tmux.send('main', ['/']);
    tmux.send('main', ['bad-address'], true);
    tmux.send('main', ['Enter']);
    await sleep(150);
    tmux.send('main', ['Enter']);
    seen = await waitForScreen(tmux, 'main', (s) => s.includes('detail (Enter hides)'), 'the detail pane', APPEAR_MS);
    expect(seen.screen).toContain('gateway.log:31');
    // Short names of the inputs after a rotation (↻) and a truncation (↧), as in tail --help.
    expect(seen.screen).toMatch(/gateway\.log↻\d\d:\d\d(?::\d\d)?:1 /);
    expect(seen.screen).toMatch(/gateway\.log↧\d\d:\d\d(?::\d\d)?:1 /);
    expect(seen.screen).not.toContain('(after ');
    expect(seen.screen).toContain('what to do:');
    // The message part of each evidence line: no timestamp, level or scope before it, the status code on screen;
    // the same message folded per input (+2: the other two 404s before the rotation).
    const detail = seen.screen.slice(seen.screen.indexOf('detail (Enter hides)'));
    expect(detail).toMatch(/gateway\.log:31 \+2 +\d\d:\d\d:\d\dZ? {2}cannot fetch Wasm module\s+http:\/\/192\.168\.10\.20/);
    expect(detail.replace(/\n\s+/g, ' ')).toContain('status code 404');
    expect(detail).not.toMatch(/2026-05-20T08:|\berror\s+wasm\s+cannot/);

    // e: a redacted Markdown export in the current folder, and the screen says where.
    tmux.send('main', ['Escape']);
    await sleep(150);
    tmux.send('main', ['e']);
    seen = await waitForScreen(tmux, 'main', (s) => /exported the diagnosis \(redacted\) to \.\/higress-doctor-\d{8}-\d{6}\.md/.test(s), 'the export message', APPEAR_MS);
    const exportName = /\.\/(higress-doctor-\d{8}-\d{6}\.md)/.exec(seen.screen)![1]!;
    const md = readFileSync(join(dir, exportName), 'utf8');
    expect(md).toContain('wasm-fetch-bad-address');
    expect(md).not.toContain('192.168.10.20');

    tmux.send('main', ['q']);
    const exitFile = join(dir, 'main.exit');
    seen = await waitForScreen(tmux, 'main', () => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '', 'the program to exit', 10_000);
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
    const after = tmux.capture('main');
    expect(after).toMatch(new RegExp(`higress-doctor tail: ${lines} lines read from gateway\\.log in \\d+s, 2 rotations/truncations; \\d+ incidents? \\(`));
    expect(after.replace(/\n/g, '')).toContain(`Exported: ${join(dir, exportName)}`);
  }, 60_000);

  it('at 80×24: follows, rotates, the detail shows the message part of every evidence line as it scrolls', async () => {
    const log = join(dir, 'small.log');
    const xds = (secs: number): string =>
      `[2026-05-20 10:${String(10 + Math.floor(secs / 60)).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}.031][1][warning][config] [external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:193] DeltaAggregatedResources gRPC config stream to xds-grpc closed since ${secs}s ago: 14, connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:15012: connect: connection refused"`;
    writeFileSync(log, `${[...noise(5), xds(31), xds(62), xds(94)].join('\n')}\n`);
    launch('small', 'small.log', 80, 24);
    await waitForScreen(tmux, 'small', (s) => /xds-disconnected\s+xds-grpc\s+3 /.test(s), 'the xDS incident ×3', START_MS);
    renameSync(log, `${log}.1`);
    writeFileSync(log, `${[xds(127), xds(160), xds(221)].join('\n')}\n`);
    await waitForScreen(tmux, 'small', (s) => /xds-disconnected\s+xds-grpc\s+6 /.test(s) && /rotated at/.test(s), 'the count 6 after the rotation', APPEAR_MS);
    tmux.send('small', ['Enter']);
    let seen = await waitForScreen(tmux, 'small', (s) => s.includes('detail (Enter hides)'), 'the detail pane', APPEAR_MS);
    // The headline gives the longest reported extent; the list keeps one row, the detail the rest.
    expect(seen.screen).toContain('down for 221s');
    const rows = seen.screen.split('\n');
    expect(rows.findIndex((l) => l.includes('detail (Enter hides)'))).toBe(4);
    expect(seen.screen).toMatch(/lines 1–\d+ of \d+ · PgUp\/PgDn J\/K scroll/);
    // Page through: every evidence line's location and the message (no timestamp, thread or source path).
    const pages: string[] = [seen.screen];
    // Each page is captured once the pane says it moved (`lines a–b of n`): a fixed pause missed pages on a busy machine.
    const shown = (screen: string): { from: number; to: number; of: number } | null => {
      const m = /lines (\d+)–(\d+) of (\d+)/.exec(screen);
      return m ? { from: Number(m[1]), to: Number(m[2]), of: Number(m[3]) } : null;
    };
    for (let k = 0; k < 12; k++) {
      const at = shown(pages.at(-1)!);
      if (at === null || at.to >= at.of) break;
      tmux.send('small', ['NPage']);
      const next = await waitForScreen(tmux, 'small', (s) => (shown(s)?.from ?? at.from) > at.from, `the detail's next page after line ${at.to}`, APPEAR_MS);
      pages.push(next.screen);
    }
    expect(shown(pages.at(-1)!)).toMatchObject({ to: shown(pages.at(-1)!)!.of });
    const detailText = pages.map((p) => p.slice(p.indexOf('detail (Enter hides)'), p.indexOf('recent warnings'))).join('\n');
    for (const loc of [/small\.log:6 /, /small\.log:7 /, /small\.log:8 /, /small\.log↻\d\d:\d\d:1 /, /small\.log↻\d\d:\d\d:2 /, /small\.log↻\d\d:\d\d:3 /]) {
      expect(detailText).toMatch(loc);
    }
    expect(detailText).toMatch(/10:1\d:\d\d {2}DeltaAggregatedResources gRPC config stream to/);
    for (const secs of [31, 62, 94, 127, 160, 221]) expect(detailText.replace(/\n\s+/g, ' ')).toContain(`closed since ${secs}s ago`);
    expect(detailText).not.toMatch(/\[warning\]\[config\]|grpc_stream\.h|\]\[1\]\[/);
    expect(detailText).toContain('what to do:');
    // K goes back a line; Enter hides the detail.
    const last = pages.at(-1)!;
    tmux.send('small', ['K']);
    seen = await waitForScreen(tmux, 'small', (s) => s !== last && /lines \d+–\d+ of/.test(s), 'the detail one line up', APPEAR_MS);
    tmux.send('small', ['q']);
    const exitFile = join(dir, 'small.exit');
    await waitForScreen(tmux, 'small', () => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '', 'the program to exit', 10_000);
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
  }, 60_000);

  it('waits for a file that does not exist yet, then follows it', async () => {
    launch('later', 'later.log');
    await waitForScreen(tmux, 'later', (s) => s.includes('waiting for file'), 'the header to say waiting for file', START_MS);
    const lines = [fetch404()];
    const want = analyzeCounts(dir, lines);
    writeFileSync(join(dir, 'later.log'), `${lines.join('\n')}\n`);
    await waitForScreen(tmux, 'later', (s) => agrees(want)(s) && s.includes('following'), 'the incident once the file exists', APPEAR_MS);
    tmux.send('later', ['C-c']);
    const exitFile = join(dir, 'later.exit');
    await waitForScreen(tmux, 'later', () => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '', 'the program to exit', 10_000);
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
  }, 40_000);
});
