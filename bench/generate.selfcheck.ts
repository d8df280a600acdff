// Self-check of the generator: `node dist/bench/generate.selfcheck.js` (after `npm run build`). Exit 1 on failure.
// - determinism: same seed → same sha256 (two 5 MB files), another seed → different; generateLines == the file
// - line mix of the 5 MB file: ~85% access (every access line has the exact L5 field order, all values strings),
//   ~10% Envoy L1, ~5% pilot-agent L4, almost nothing else
// - the TEXT access variant parses with Istio's default format
// - in a 130 MB stream every fault kind is planted, and the reported counts match the planted text

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { repoRoot } from './common.js';
import { FAULT_KINDS, generateFile, generateLines } from './generate.js';

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
  let access = 0;
  let envoy = 0;
  let go = 0;
  let other = 0;
  let badAccess = 0;
  for (const l of lines) {
    if (l.startsWith('{"ai_log":')) {
      access++;
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
  process.stdout.write(
    `      mix: access ${pct(access).toFixed(1)}%, envoy ${pct(envoy).toFixed(1)}%, pilot-agent ${pct(go).toFixed(1)}%, other ${pct(other).toFixed(2)}%\n`,
  );
  check(pct(access) > 82 && pct(access) < 88, 'about 85% access lines');
  check(pct(envoy) > 7 && pct(envoy) < 13, 'about 10% Envoy L1 lines');
  check(pct(go) > 3 && pct(go) < 8, 'about 5% pilot-agent L4 lines');
  check(pct(other) < 1, 'under 1% other lines (script echo, continuations, blanks)');
  check(badAccess === 0, `every access line: 26 fields in L5 order, all non-empty strings (${badAccess} bad)`);
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
  const big = await generateFile('/dev/null', 130_000_000, { seed: 3 });
  const missing = Object.keys(FAULT_KINDS).filter((k) => !((big.faults[k] ?? 0) > 0));
  check(missing.length === 0, `130 MB: every fault kind planted${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`);
  const seen: Record<string, number> = {};
  const inc = (k: string): void => void (seen[k] = (seen[k] ?? 0) + 1);
  let i = 0;
  for (const l of generateLines({ seed: 3 })) {
    if (++i > big.lines) break;
    if (l.includes('invalid format as an OCI image')) inc('wasm-image-format');
    else if (l.includes('failopen rbac config: 2 errors occurred:')) inc('multierror');
    else if (l.startsWith('\t* cannot fetch') && l.endsWith('connection refused')) inc('network-bullet');
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
    else if (/"response_code":"50[34]","response_flags":"(UH|UF|URX,UF|UT)"/.test(l)) inc('upstream-unavailable');
  }
  const f = big.faults;
  check(2 * (seen.multierror ?? 0) === (f['wasm-fetch-network'] ?? 0) + (f['wasm-fetch-bad-address'] ?? 0), 'two plugins per multierror block = network + bad-address');
  check((seen['network-bullet'] ?? 0) === (f['wasm-fetch-network'] ?? 0), 'one connection-refused bullet per network fault');
  const same = Object.keys(FAULT_KINDS).filter((k) => !k.startsWith('wasm-fetch-network') && k !== 'wasm-fetch-bad-address');
  const off = same.filter((k) => (seen[k] ?? 0) !== (f[k] ?? 0)).map((k) => `${k}: text ${seen[k] ?? 0} vs reported ${f[k] ?? 0}`);
  check(off.length === 0, `reported fault counts match the planted text${off.length ? ` (${off.join('; ')})` : ''}`);
  process.stdout.write(`      130 MB faults: ${JSON.stringify(f)}\n`);

  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(failures === 0 ? 'selfcheck passed\n' : `selfcheck: ${failures} failure(s)\n`);
  process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((e: Error) => {
  process.stderr.write(`selfcheck: ${e.stack ?? e.message}\n`);
  process.exitCode = 1;
});
