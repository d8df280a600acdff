// Self-check of the generator: `node dist/bench/generate.selfcheck.js` (after `npm run build`). Exit 1 on failure.
// - determinism: same seed → same sha256 (two 5 MB files), another seed → different; generateLines == the file
// - line mix of the 5 MB file: ~85% access (every access line has the exact L5 field order, all values strings),
//   ~10% Envoy L1, ~5% pilot-agent L4, almost nothing else
// - the TEXT access variant parses with Istio's default format
// - in a 130 MB stream every fault kind is planted, and the reported counts match the planted text
// - the busy mix (`mix: 'busy'`): ~13% Envoy lines, ~10× the failed requests, every fault kind in 15 MB with counts
//   that match the text, multi-error lists longer than 2, crash loops, unexplained lines, over 100 distinct subjects
// - `wrap: 'kubectl'`: every line starts with a nine-digit RFC3339 time and one space, times never go back, and
//   without the prefixes the file is a prefix of the unwrapped one (same seed and mix)

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { repoRoot } from './common.js';
import { FAULT_KINDS, type GenerateOptions, type GenerateResult, generateFile, generateLines } from './generate.js';

const ACCESS_FIELDS = [
  'ai_log', 'authority', 'bytes_received', 'bytes_sent', 'downstream_local_address', 'downstream_remote_address',
  'duration', 'istio_policy_status', 'method', 'path', 'protocol', 'request_id', 'requested_server_name',
  'response_code', 'response_flags', 'route_name', 'start_time', 'trace_id', 'upstream_cluster', 'upstream_host',
  'upstream_local_address', 'upstream_service_time', 'upstream_transport_failure_reason', 'user_agent',
  'x_forwarded_for', 'response_code_details',
];
// docs/formats.md §2 regexes.
const L1 = /^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})\]\[(\d+)\]\[(trace|debug|info|warning|error|critical)\]\[([\w.-]+)\] (?:\[([^\]]+):(\d+)\] )?(.*)$/;
const L4 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)\t(debug|info|warn|error|fatal)\t(.*)$/;
// Istio's default TEXT access log.
const TEXT =
  /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] "(\S+) (\S+) (\S+)" (\d{3}) (\S+) (\S+) (\S+) "([^"]*)" (\d+) (\d+) (\d+) (\S+) "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" (\S+) (\S+) (\S+) (\S+) (\S+) (\S+)$/;

let failures = 0;
function check(ok: boolean, what: string): void {
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'}  ${what}\n`);
  if (!ok) failures++;
}

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

interface Mix {
  readonly access: number;
  readonly envoy: number;
  readonly go: number;
  readonly other: number;
  /** Access lines with a 5xx and response flags, % of access lines. */
  readonly failed: number;
  readonly badAccess: number;
}

/** Shares (%) of each layout in the lines; every JSON access line checked for the exact L5 field order. */
function mixOf(lines: readonly string[]): Mix {
  let access = 0;
  let envoy = 0;
  let go = 0;
  let other = 0;
  let badAccess = 0;
  let failed = 0;
  for (const l of lines) {
    if (l.startsWith('{"ai_log":')) {
      access++;
      if (/"response_code":"5\d\d","response_flags":"[A-Z]/.test(l)) failed++;
      try {
        const o = JSON.parse(l) as Record<string, unknown>;
        const keys = Object.keys(o);
        if (keys.join() !== ACCESS_FIELDS.join() || !Object.values(o).every((v) => typeof v === 'string' && v !== '')) badAccess++;
      } catch {
        badAccess++;
      }
    } else if (L1.test(l)) envoy++;
    else if (L4.test(l)) go++;
    else other++;
  }
  const pct = (x: number): number => (100 * x) / lines.length;
  return { access: pct(access), envoy: pct(envoy), go: pct(go), other: pct(other), failed: (100 * failed) / Math.max(1, access), badAccess };
}

let healthyFailed = 0;

/**
 * Generates `bytes` to /dev/null, then reads the same lines again and counts every planted fault in the text: every
 * kind must be planted and each count must be what generateFile reported. Returns what the busy checks need.
 */
async function plantedMatchText(
  label: string,
  bytes: number,
  opts: GenerateOptions,
): Promise<GenerateResult & { maxBullets: number; crashLoops: number; subjects: number }> {
  const big = await generateFile('/dev/null', bytes, opts);
  const missing = Object.keys(FAULT_KINDS).filter((k) => !((big.faults[k] ?? 0) > 0));
  check(missing.length === 0, `${label}: every fault kind planted${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`);
  const seen: Record<string, number> = {};
  const inc = (k: string, n = 1): void => void (seen[k] = (seen[k] ?? 0) + n);
  let maxBullets = 0;
  let crashLoops = 0;
  let lastExit = Number.NaN;
  let unexplained = 0;
  const subjects = new Set<string>();
  let i = 0;
  for (const l of generateLines(opts)) {
    if (++i > big.lines) break;
    const plugin = /\/plugins\/([a-z-]+)[/:]/.exec(l);
    if (plugin && !l.includes('fetching image') && !l.includes('bench-marker')) subjects.add(plugin[1] as string);
    if (l.includes('invalid format as an OCI image')) inc('wasm-image-format');
    else if (l.includes('failopen rbac config: ') && / (\d+) errors occurred:$/.test(l)) {
      const n = Number(/ (\d+) errors occurred:$/.exec(l)?.[1]);
      inc('bullets-announced', n);
      maxBullets = Math.max(maxBullets, n);
    } else if (l.startsWith('\t* cannot fetch') && l.endsWith('connection refused')) inc('network-bullet');
    else if (l.startsWith('\t* cannot fetch') && l.endsWith('status code 404')) inc('bad-address-bullet');
    else if (l.includes('UNAUTHORIZED')) inc('wasm-fetch-auth');
    else if (l.includes('x509: certificate signed by unknown authority')) inc('wasm-fetch-tls');
    else if (l.includes('which does not match')) inc('wasm-module-corrupt');
    else if (l.includes('due to a missing import')) inc('wasm-module-incompatible');
    else if (l.includes('plugin start failed')) inc('wasm-plugin-config');
    else if (l.includes('Proxy-Wasm plugin in-VM backtrace')) inc('wasm-plugin-crash');
    else if (l.includes('[backtrace]') && l.includes('Caught ')) inc('envoy-crash');
    else if (l.includes('out of memory killed')) inc('oom');
    else if (l.includes('Proto constraint validation failed')) inc('bad-config');
    else if (l.includes('failed to bind or apply socket options')) inc('port-bind');
    else if (l.includes('closed since') && l.includes(': 14, ')) inc('xds-disconnected');
    else if (l.includes('CERTIFICATE_VERIFY_FAILED')) inc('tls-certificate');
    else if (/"response_code":"50[34]","response_flags":"(UH|UF|URX,UF|UT)"/.test(l)) {
      inc('upstream-unavailable');
      subjects.add(/"upstream_cluster":"([^"]+)"/.exec(l)?.[1] ?? '');
    } else if (/\]\[(lua|ext_proc|golang|ratelimit)\] /.test(l)) unexplained++;
    else if (l.includes('\tEnvoy exited with error: ')) {
      // An exit within 6 minutes of the previous one: the gateway is crash-looping (planted crashes of one kind are
      // tens of MB, many minutes, apart otherwise).
      const t = Date.parse(l.slice(0, 26) + 'Z');
      if (t - lastExit < 360_000) crashLoops++;
      lastExit = t;
    }
  }
  const f = big.faults;
  check(
    (seen['bullets-announced'] ?? 0) === (f['wasm-fetch-network'] ?? 0) + (f['wasm-fetch-bad-address'] ?? 0),
    `${label}: one plugin per announced multierror bullet = network + bad-address`,
  );
  check((seen['network-bullet'] ?? 0) === (f['wasm-fetch-network'] ?? 0), `${label}: one connection-refused bullet per network fault`);
  check((seen['bad-address-bullet'] ?? 0) === (f['wasm-fetch-bad-address'] ?? 0), `${label}: one 404 bullet per bad-address fault`);
  const same = Object.keys(FAULT_KINDS).filter((k) => k !== 'wasm-fetch-network' && k !== 'wasm-fetch-bad-address');
  const off = same.filter((k) => (seen[k] ?? 0) !== (f[k] ?? 0)).map((k) => `${k}: text ${seen[k] ?? 0} vs reported ${f[k] ?? 0}`);
  check(off.length === 0, `${label}: reported fault counts match the planted text${off.length ? ` (${off.join('; ')})` : ''}`);
  check(unexplained === big.unexplained, `${label}: reported unexplained lines match the text (${unexplained} vs ${big.unexplained})`);
  process.stdout.write(`      ${label} faults: ${JSON.stringify(f)}\n`);
  return { ...big, maxBullets, crashLoops, subjects: subjects.size };
}

async function main(): Promise<void> {
  const dir = join(repoRoot(), 'bench', 'out', 'selfcheck');
  mkdirSync(dir, { recursive: true });
  const size = 5_000_000;

  // Determinism.
  const a = await generateFile(join(dir, 'a.log'), size, { seed: 7 });
  const b = await generateFile(join(dir, 'b.log'), size, { seed: 7 });
  const c = await generateFile(join(dir, 'c.log'), size, { seed: 8 });
  const fa = readFileSync(join(dir, 'a.log'));
  const ha = sha(fa);
  check(ha === sha(readFileSync(join(dir, 'b.log'))), `same seed → same sha256 (${ha.slice(0, 16)}…)`);
  check(ha !== sha(readFileSync(join(dir, 'c.log'))), 'other seed → other sha256');
  check(JSON.stringify(a) === JSON.stringify(b), 'same seed → same line and fault counts');
  check(fa.length === a.bytes && a.bytes >= size && a.bytes < size + 10_000, `size ${a.bytes} ≥ ${size}, cut at an event boundary`);
  void c;

  // generateLines yields the same content.
  const h = createHash('sha256');
  let n = 0;
  for (const l of generateLines({ seed: 7 })) {
    h.update(l + '\n');
    if (++n === a.lines) break;
  }
  check(h.digest('hex') === ha, 'generateLines(seed) reproduces the file');

  // Line mix.
  const text = fa.toString('latin1');
  check(/^[\x09\x0a\x20-\x7e]*$/.test(text), 'ASCII only (tab, newline, printable)');
  const lines = text.split('\n');
  lines.pop();
  check(lines.length === a.lines, `line count ${lines.length} = reported ${a.lines}`);
  const hm = mixOf(lines);
  healthyFailed = hm.failed;
  process.stdout.write(
    `      mix: access ${hm.access.toFixed(1)}%, envoy ${hm.envoy.toFixed(1)}%, pilot-agent ${hm.go.toFixed(1)}%, other ${hm.other.toFixed(2)}%\n`,
  );
  check(hm.access > 82 && hm.access < 88, 'about 85% access lines');
  check(hm.envoy > 7 && hm.envoy < 13, 'about 10% Envoy L1 lines');
  check(hm.go > 3 && hm.go < 8, 'about 5% pilot-agent L4 lines');
  check(hm.other < 1, 'under 1% other lines (script echo, continuations, blanks)');
  check(hm.badAccess === 0, `every access line: 26 fields in L5 order, all non-empty strings (${hm.badAccess} bad)`);
  const access = lines.filter((l) => l.startsWith('{"ai_log":')).length;
  const codes = new Map<string, number>();
  for (const l of lines) {
    const m = /"response_code":"(\d)/.exec(l);
    if (m) codes.set(m[1] as string, (codes.get(m[1] as string) ?? 0) + 1);
  }
  const share = (k: string): number => (100 * (codes.get(k) ?? 0)) / access;
  process.stdout.write(`      status: 2xx ${share('2').toFixed(1)}%, 3xx ${share('3').toFixed(1)}%, 4xx ${share('4').toFixed(1)}%, 5xx ${share('5').toFixed(1)}%\n`);
  check(share('2') > 90 && share('4') > 1 && share('4') < 6 && share('5') > 0.5 && share('5') < 3, 'mostly 2xx, a few 4xx and 5xx');

  // TEXT variant.
  const t = await generateFile(join(dir, 't.log'), 1_000_000, { seed: 7, access: 'text' });
  const tl = readFileSync(join(dir, 't.log'), 'latin1').split('\n');
  const textAccess = tl.filter((l) => l.startsWith('[20') && l.charAt(11) === 'T');
  check(textAccess.length > 0.8 * t.lines && textAccess.every((l) => TEXT.test(l)), `TEXT access lines match Istio's default format (${textAccess.length})`);

  // Every fault kind, and the counts match the text.
  const big = await plantedMatchText('130 MB', 130_000_000, { seed: 3 });
  check(big.unexplained === 0, 'healthy mix: no unexplained lines planted');

  // The busy mix.
  const bz = await generateFile(join(dir, 'busy.log'), size, { seed: 7, mix: 'busy' });
  const busyText = readFileSync(join(dir, 'busy.log'), 'latin1');
  const bl = busyText.split('\n');
  bl.pop();
  check(bl.length === bz.lines, `busy: line count ${bl.length} = reported ${bz.lines}`);
  const bm = mixOf(bl);
  process.stdout.write(
    `      busy mix: access ${bm.access.toFixed(1)}%, envoy ${bm.envoy.toFixed(1)}%, pilot-agent ${bm.go.toFixed(1)}%, other ${bm.other.toFixed(2)}%, ` +
      `failed (5xx with flags) ${bm.failed.toFixed(2)}% of access lines\n`,
  );
  check(bm.envoy > 11 && bm.envoy < 16, 'busy: about 13% Envoy L1 lines');
  check(bm.failed > 3 * healthyFailed, `busy: failed requests over 3× the healthy share (${healthyFailed.toFixed(2)}%)`);
  check(bm.badAccess === 0, `busy: every access line in L5 order (${bm.badAccess} bad)`);
  const busy = await plantedMatchText('busy 15 MB', 15_000_000, { seed: 3, mix: 'busy' });
  check(busy.unexplained > 0, `busy: unexplained lines planted (${busy.unexplained})`);
  check(busy.maxBullets > 10, `busy: long multi-error lists (longest: ${busy.maxBullets} bullets)`);
  check(busy.crashLoops > 0, `busy: crash loops (${busy.crashLoops} exits within 6 min of the previous one)`);
  check(busy.subjects > 100, `busy: over 100 distinct fault subjects (${busy.subjects} plugins and clusters)`);

  // The kubectl wrapper.
  const kz = await generateFile(join(dir, 'kubectl.log'), size, { seed: 7, mix: 'busy', wrap: 'kubectl' });
  const kl = readFileSync(join(dir, 'kubectl.log'), 'latin1').split('\n');
  kl.pop();
  check(kl.length === kz.lines, `kubectl: line count ${kl.length} = reported ${kz.lines}`);
  const KUBECTL = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9})Z /;
  let badWrap = 0;
  let backwards = 0;
  let prev = '';
  const inner: string[] = [];
  for (const l of kl) {
    const m = KUBECTL.exec(l);
    if (!m) {
      badWrap++;
      continue;
    }
    if ((m[1] as string) < prev) backwards++;
    prev = m[1] as string;
    inner.push(l.slice(m[0].length));
  }
  check(badWrap === 0, `kubectl: every line starts with an RFC3339 time (9 digits), Z and a space (${badWrap} do not)`);
  check(backwards === 0, `kubectl: times never go back (${backwards} do)`);
  const unwrapped = inner.join('\n') + '\n';
  check(busyText.startsWith(unwrapped) && inner.length > 0.9 * bl.length, `kubectl: unwrapped, a prefix of the plain busy file (${inner.length} of ${bl.length} lines)`);

  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(failures === 0 ? 'selfcheck passed\n' : `selfcheck: ${failures} failure(s)\n`);
  process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((e: Error) => {
  process.stderr.write(`selfcheck: ${e.stack ?? e.message}\n`);
  process.exitCode = 1;
});
