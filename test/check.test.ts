// `check url`, `check module` and `check pattern` against a real HTTP server on 127.0.0.1 serving
// modules assembled from WAT: every answer an offline plugin server gives, in all three formats.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtures, type Fixtures } from './helpers/plugin-fixtures.js';
import { startForwardProxy, startPluginServer, type PluginServer } from './helpers/plugin-server.js';
import { inAllFormats, markdownRow, runCheck, textBlock, type AllFormats } from './helpers/check-cli.js';
import { BUILTIN_PLUGINS } from '../src/check/builtin-plugins.js';

let fx: Fixtures;
let server: PluginServer;
let dir: string;

beforeAll(async () => {
  fx = await buildFixtures();
  dir = mkdtempSync(join(tmpdir(), 'hd-check-'));
  server = await startPluginServer({
    '/good.wasm': fx.good,
    '/wasi.wasm': fx.wasiMissing,
    '/higress-only.wasm': fx.higressOnly,
    '/no-abi.wasm': fx.noAbi,
    '/html.wasm': fx.html,
    '/plugin.tar.gz': fx.tarGz,
    '/truncated.wasm': fx.truncated,
    '/cut.wasm': { cutAfter: 20, body: fx.good },
    '/moved.wasm': { redirect: '/good.wasm' },
    '/loop.wasm': { redirect: '/loop.wasm' },
    '/slow.wasm': { hang: true },
    '/key-auth.wasm': fx.good,
    '/waf.wasm': fx.html,
    '/plugins/key-auth/1.0.0/plugin.wasm': fx.good,
    '/plugins/ai-proxy/2.0.1/plugin.wasm': fx.higressOnly,
    '/plugins/mcp-server/2.0.1/plugin.wasm': fx.good,
  });
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Expect {
  ok: boolean;
  severity?: 'ok' | 'warning' | 'error';
  cause?: string | null;
  title: string;
}

/** The check on `target` says the same thing in JSON, text and Markdown. */
function expectCheck(r: AllFormats, target: string, e: Expect): void {
  const c = r.checks.find((x) => x.target === target);
  expect(c, `${target} in ${r.json.stdout.slice(0, 2000)}`).toBeDefined();
  expect(c!.ok, `${target}: ${c!.title}`).toBe(e.ok);
  expect(c!.cause, `${target}: ${c!.title}`).toBe(e.cause ?? null);
  expect(c!.severity).toBe(e.severity ?? (e.ok ? 'ok' : 'error'));
  expect(c!.title).toContain(e.title);
  const block = textBlock(r.text.stdout, target);
  expect(block, `text block of ${target} in:\n${r.text.stdout}`).not.toBe('');
  expect(block.split('\n')[0]).toMatch(new RegExp(`^${c!.severity === 'error' ? 'FAIL' : c!.severity === 'warning' ? 'WARN' : 'OK'}\\s`));
  if (e.cause) expect(block.split('\n')[0]).toContain(e.cause);
  expect(block).toContain(e.title);
  const row = markdownRow(r.markdown.stdout, target);
  expect(row, `markdown row of ${target}`).not.toBe('');
  if (e.cause) expect(row).toContain(`\`${e.cause}\``);
  expect(row).toContain(e.title.replace(/\|/g, '\\|'));
}

describe('check url', () => {
  let r: AllFormats;
  const u = (p: string): string => `${server.url}${p}`;
  beforeAll(async () => {
    // A port nothing listens on: the server's own, once closed.
    const closed = await startPluginServer({});
    const refused = `${closed.url}/x.wasm`;
    await closed.close();
    const paths = ['/good.wasm', '/wasi.wasm', '/higress-only.wasm', '/no-abi.wasm', '/html.wasm', '/plugin.tar.gz', '/truncated.wasm', '/cut.wasm', '/missing.wasm', '/moved.wasm', '/loop.wasm'];
    r = await inAllFormats(['url', ...paths.map(u), refused]);
    (r as AllFormats & { refused: string }).refused = refused;
  });

  it('exits 1 when a check fails, and lists every URL in order', () => {
    expect(r.code).toBe(1);
    expect(r.checks).toHaveLength(12);
    expect(r.checks[0]!.target).toBe(u('/good.wasm'));
    expect(r.json.stderr).toBe('');
  });
  it('a good proxy-wasm module is ok', () => {
    expectCheck(r, u('/good.wasm'), { ok: true, title: 'a Proxy-Wasm module (ABI 0_2_100, 3 imports) that Higress 2.2 can load' });
    expect(r.checks[0]!.details).toMatchObject({ status: 200, format: 'wasm', abi: '0_2_100', bytes: fx.good.length });
  });
  it('a WASI import the host lacks is wasm-module-incompatible, naming it', () => {
    expectCheck(r, u('/wasi.wasm'), { ok: false, cause: 'wasm-module-incompatible', title: 'imports wasi_snapshot_preview1.sock_open, which no known Higress version provides' });
  });
  it('a Higress-only host function is fine on the newest gateway, and said', () => {
    expectCheck(r, u('/higress-only.wasm'), { ok: true, title: 'uses Higress-only host functions (1)' });
    expect(textBlock(r.text.stdout, u('/higress-only.wasm'))).toContain('env.proxy_get_upstream_hosts (since 2.1.4)');
  });
  it('a module without proxy_abi_version_* is not a Proxy-Wasm plugin', () => {
    expectCheck(r, u('/no-abi.wasm'), { ok: false, cause: 'wasm-module-incompatible', title: 'exports no proxy_abi_version_* function' });
  });
  it('an HTML page served with 200 is named, with its title', () => {
    expectCheck(r, u('/html.wasm'), { ok: false, cause: 'wasm-module-corrupt', title: 'not a Wasm module: an HTML page ("Corp Proxy – Sign in")' });
  });
  it('plugin.tar.gz (what oras pull saves) works on Higress 2 but is a warning: extract plugin.wasm', () => {
    expectCheck(r, u('/plugin.tar.gz'), { ok: true, severity: 'warning', title: 'a gzip+tar archive (what oras pull saves as plugin.tar.gz), not a bare module' });
    const c = r.checks.find((x) => x.target === u('/plugin.tar.gz'))!;
    expect(c.remediation.join(' ')).toContain('Extract plugin.wasm (tar -xzf plugin.tar.gz plugin.wasm)');
  });
  it('a truncated file is corrupt, and said to be cut', () => {
    expectCheck(r, u('/truncated.wasm'), { ok: false, cause: 'wasm-module-corrupt', title: `truncated: the module stops after ${fx.truncated.length} bytes` });
  });
  it('a connection cut mid-body is a network fault with the byte counts', () => {
    expectCheck(r, u('/cut.wasm'), { ok: false, cause: 'wasm-fetch-network', title: `the server closed the connection after 20 of ${fx.good.length} bytes` });
  });
  it('a 404 is wasm-fetch-bad-address', () => {
    expectCheck(r, u('/missing.wasm'), { ok: false, cause: 'wasm-fetch-bad-address', title: 'HTTP 404: nothing is published at this URL' });
  });
  it('a redirect is followed and shown', () => {
    expectCheck(r, u('/moved.wasm'), { ok: true, title: 'a Proxy-Wasm module' });
    expect(r.checks.find((x) => x.target === u('/moved.wasm'))!.details.redirects).toEqual([{ status: 302, to: u('/good.wasm') }]);
    expect(textBlock(r.text.stdout, u('/moved.wasm'))).toContain(`redirected (302) to ${u('/good.wasm')}`);
  });
  it('a redirect loop stops after 5', () => {
    expectCheck(r, u('/loop.wasm'), { ok: false, cause: 'wasm-fetch-bad-address', title: 'more than 5 redirects' });
  });
  it('the real CLI gives the same reports as the run in this process (inAllFormats)', async () => {
    const some = ['/good.wasm', '/html.wasm', '/missing.wasm', '/moved.wasm'].map(u);
    const mine = await inAllFormats(['url', ...some]);
    for (const format of ['json', 'text', 'markdown'] as const) {
      const real = await runCheck(['url', ...some, '--format', format]);
      expect({ code: real.code, stderr: real.stderr, stdout: real.stdout }, format).toEqual({ code: mine.code, stderr: mine[format].stderr, stdout: mine[format].stdout });
    }
  });
  it('a refused connection is wasm-fetch-network', () => {
    const refused = (r as AllFormats & { refused: string }).refused;
    expectCheck(r, refused, { ok: false, cause: 'wasm-fetch-network', title: 'connection refused by 127.0.0.1:' });
  });
});

describe('check module', () => {
  it('a Higress-only import on an older gateway names the first version that has it', async () => {
    const r = await inAllFormats(['module', `${server.url}/higress-only.wasm`, '--gateway', '2.1.3']);
    expect(r.code).toBe(1);
    expectCheck(r, `${server.url}/higress-only.wasm`, { ok: false, cause: 'wasm-module-incompatible', title: 'imports env.proxy_get_upstream_hosts, which Higress 2.1.3 does not provide (first in Higress 2.1.4)' });
  });
  it('a file: checksum given and right is ok; wrong is wasm-module-corrupt', async () => {
    const file = join(dir, 'plugin.wasm');
    writeFileSync(file, fx.good);
    const { createHash } = await import('node:crypto');
    const sum = createHash('sha256').update(fx.good).digest('hex');
    const good = await inAllFormats(['module', file, '--sha256', sum.toUpperCase()]);
    expect(good.code).toBe(0);
    expectCheck(good, file, { ok: true, title: 'a Proxy-Wasm module' });
    const bad = await inAllFormats(['module', file, '--sha256', '0'.repeat(64)]);
    expect(bad.code).toBe(1);
    expectCheck(bad, file, { ok: false, cause: 'wasm-module-corrupt', title: `sha256 is ${sum}, not the expected ${'0'.repeat(64)}` });
  });
  it('plugin.tar.gz for Higress 1.x is a fault: it does not unpack archives', async () => {
    const file = join(dir, 'plugin.tar.gz');
    writeFileSync(file, fx.tarGz);
    const r = await inAllFormats(['module', file, '--gateway', '1.4.2']);
    expect(r.code).toBe(1);
    expectCheck(r, file, { ok: false, cause: 'wasm-module-corrupt', title: 'a gzip+tar archive holding plugin.wasm, not a Wasm module: Higress 1.x does not unpack archives' });
  });
  it('an empty file says so', async () => {
    const file = join(dir, 'empty.wasm');
    writeFileSync(file, '');
    const r = await inAllFormats(['module', file]);
    expectCheck(r, file, { ok: false, cause: 'wasm-module-corrupt', title: 'not a Wasm module: empty (0 bytes)' });
  });
  it('usage errors and unreadable files are exit 2 with one line', async () => {
    const file = join(dir, 'keep.wasm');
    writeFileSync(file, fx.good);
    for (const args of [
      ['module', join(dir, 'nope.wasm')],
      ['module', 'x.wasm', '--sha256', 'zz'],
      ['module', 'x.wasm', '--gateway', 'latest'],
      ['url'],
      ['pattern', 'http://h/${name}.wasm', '--from-log', join(dir, 'nope.log')],
      ['module', file, '-o', file],
      ['oci', 'oci://127.0.0.1:1/plugins/key-auth:1.0.0', '--docker-config', join(dir, 'nope.json')],
    ]) {
      const r = await runCheck(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^higress-doctor: /);
      expect(r.stdout).toBe('');
    }
  });
});

describe('check url: network behaviour', () => {
  it('the total timeout ends a request that never gets an answer', async () => {
    const r = await inAllFormats(['url', `${server.url}/slow.wasm`, '--timeout', '1']);
    expectCheck(r, `${server.url}/slow.wasm`, { ok: false, cause: 'wasm-fetch-network', title: 'no complete answer within 1 s' });
  });
  it('HTTP_PROXY is used for a non-loopback host, and NO_PROXY exempts it', async () => {
    const proxy = await startForwardProxy(server.port);
    try {
      const target = `http://plugins.test:${server.port}/good.wasm`;
      const via = await inAllFormats(['url', target], { HTTP_PROXY: proxy.url });
      expectCheck(via, target, { ok: true, title: 'a Proxy-Wasm module' });
      expect(via.checks[0]!.details.proxy).toBe(`${proxy.url}/`);
      expect(proxy.seen).toContain(target);
      const seen = proxy.seen.length;
      // Exempt: straight to plugins.test, a name no resolver knows (RFC 6761), so not through the proxy.
      const direct = await runCheck(['url', target, '--format', 'json'], { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,.test' });
      const c = JSON.parse(direct.stdout).checks[0];
      expect(c.cause).toBe('wasm-fetch-network');
      expect(c.title).toContain('plugins.test');
      expect(c.details.proxy).toBeUndefined();
      expect(proxy.seen).toHaveLength(seen);
    } finally {
      await proxy.close();
    }
  });
  it('a certificate the client does not trust is wasm-fetch-tls', async (ctx) => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { encoding: 'utf8' });
    if (made.status !== 0) {
      console.warn('openssl is missing: the TLS check test is skipped');
      ctx.skip();
    }
    const { readFileSync } = await import('node:fs');
    const tlsServer = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end(fx.good));
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    try {
      const tlsPort = (tlsServer.address() as AddressInfo).port;
      const target = `https://127.0.0.1:${tlsPort}/good.wasm`;
      const r = await inAllFormats(['url', target]);
      expectCheck(r, target, { ok: false, cause: 'wasm-fetch-tls', title: 'TLS with 127.0.0.1:' });
      // Through HTTPS_PROXY: a CONNECT tunnel to the same server, whose certificate is then refused.
      const proxy = await startForwardProxy(tlsPort);
      try {
        const named = `https://plugins.test:${tlsPort}/good.wasm`;
        const via = await inAllFormats(['url', named], { HTTPS_PROXY: proxy.url });
        expectCheck(via, named, { ok: false, cause: 'wasm-fetch-tls', title: `TLS with plugins.test:${tlsPort} failed` });
        expect(proxy.seen).toContain(`CONNECT plugins.test:${tlsPort}`);
      } finally {
        await proxy.close();
      }
      // The same server spoken to in plain HTTP, and a plain server spoken to in TLS.
      const plain = `https://127.0.0.1:${server.port}/good.wasm`;
      const p = await inAllFormats(['url', plain]);
      expectCheck(p, plain, { ok: false, cause: 'wasm-fetch-tls', title: 'does not speak TLS' });
    } finally {
      tlsServer.close();
    }
  });
});

describe('check pattern', () => {
  it('a good plugin-server layout: every plugin renders its own URL and loads', async () => {
    const pattern = `${server.url}/plugins/\${name}/\${version}/plugin.wasm`;
    const r = await inAllFormats(['pattern', pattern, '--plugins', 'key-auth,ai-proxy:2.0.1']);
    expect(r.code).toBe(0);
    expect(r.checks).toHaveLength(3);
    expectCheck(r, pattern, { ok: true, title: 'renders 2 distinct URLs for 2 plugins' });
    expectCheck(r, `${server.url}/plugins/key-auth/1.0.0/plugin.wasm`, { ok: true, title: 'a Proxy-Wasm module' });
    expect(r.checks[1]!.plugin).toBe('key-auth');
    expect(r.checks[2]!.plugin).toBe('ai-proxy');
  });
  it('a broken layout: a missing plugin and an HTML page, each named with its plugin', async () => {
    const pattern = `${server.url}/\${name}.wasm`;
    const r = await inAllFormats(['pattern', pattern, '--plugins', 'key-auth,basic-auth,waf']);
    expect(r.code).toBe(1);
    expectCheck(r, pattern, { ok: true, title: 'renders 3 distinct URLs for 3 plugins (no ${version}: one file per plugin name)' });
    expectCheck(r, `${server.url}/basic-auth.wasm`, { ok: false, cause: 'wasm-fetch-bad-address', title: 'HTTP 404' });
    expectCheck(r, `${server.url}/waf.wasm`, { ok: false, cause: 'wasm-module-corrupt', title: 'an HTML page' });
    expect(textBlock(r.text.stdout, `${server.url}/basic-auth.wasm`).split('\n')[0]).toContain('  basic-auth  ');
  });
  it('${name} eaten by the shell: the pattern is the fault, and the one URL every plugin gets is checked once', async () => {
    const pattern = `${server.url}/.wasm`;
    const r = await inAllFormats(['pattern', pattern, '--plugins', 'key-auth,basic-auth']);
    expect(r.code).toBe(1);
    expect(r.checks).toHaveLength(2);
    expectCheck(r, pattern, { ok: false, cause: 'wasm-fetch-bad-address', title: 'looks shell-expanded: ${name} became an empty string' });
    expect(r.checks[0]!.remediation.join(' ')).toContain('single quotes');
    expectCheck(r, pattern, { ok: false, cause: 'wasm-fetch-bad-address', title: 'a file named only .wasm' });
    expect(r.checks[1]!.plugin).toBeNull();
  });
  it('a fixed path without ${name}, and a trailing slash left by double quotes', async () => {
    const fixed = await inAllFormats(['pattern', `${server.url}/good.wasm`, '--plugins', 'key-auth,waf']);
    expectCheck(fixed, `${server.url}/good.wasm`, { ok: false, cause: 'wasm-fetch-bad-address', title: 'has no ${name}: every plugin fetches the same URL' });
    const slash = await inAllFormats(['pattern', `${server.url}/`, '--plugins', 'key-auth']);
    expectCheck(slash, `${server.url}/`, { ok: false, cause: 'wasm-fetch-bad-address', title: 'a path ending in /' });
  });
  it('default plugins: the ones Higress ships, each with its version', async () => {
    const r = await runCheck(['pattern', `${server.url}/plugins/\${name}/\${version}/plugin.wasm`, '--format', 'json', '--concurrency', '8']);
    const checks = JSON.parse(r.stdout).checks as Array<{ plugin: string | null; target: string; ok: boolean }>;
    expect(checks).toHaveLength(BUILTIN_PLUGINS.length + 1);
    expect(checks.find((c) => c.plugin === 'key-auth')!.target).toBe(`${server.url}/plugins/key-auth/1.0.0/plugin.wasm`);
    expect(checks.find((c) => c.plugin === 'ai-proxy')!.target).toBe(`${server.url}/plugins/ai-proxy/2.0.1/plugin.wasm`);
  });
  it('--from-log: the plugins analyze found in a gateway log', async () => {
    const pattern = `${server.url}/plugins/\${name}/\${version}/plugin.wasm`;
    const r = await inAllFormats(['pattern', pattern, '--from-log', 'samples/offline-seed-incident.log']);
    expect(r.checks.map((c) => c.plugin)).toContain('mcp-server');
    expectCheck(r, `${server.url}/plugins/mcp-server/2.0.1/plugin.wasm`, { ok: true, title: 'a Proxy-Wasm module' });
  });
});

describe('analyze suggests the check that confirms a fetch or module incident', () => {
  it('with the reference or URL the log named', async () => {
    // The diagnosis is the point: the built CLI in this process (helpers/in-process.ts).
    const { analyzeInProcess } = await import('./helpers/in-process.js');
    const tops = new Map<string, { cause: string; remediation: string[] }>();
    for (const sample of ['wasm-fetch-bad-address-oci-manifest-unknown.log', 'wasm-fetch-network-plugin-server-refused.log', 'wasm-module-incompatible-missing-import.log', 'oom-killed.log']) {
      tops.set(sample, JSON.parse((await analyzeInProcess([`samples/${sample}`, '--format', 'json', '--fail-on', 'none'])).stdout).incidents[0]);
    }
    const top = (sample: string): { cause: string; remediation: string[] } => tops.get(sample)!;
    const oci = top('wasm-fetch-bad-address-oci-manifest-unknown.log');
    expect(oci.cause).toBe('wasm-fetch-bad-address');
    expect(oci.remediation[0]).toMatch(/^From inside the gateway container, request it as the gateway does, before it fetches again: higress-doctor check oci oci:\/\/\S+:\S+$/);
    const http = top('wasm-fetch-network-plugin-server-refused.log');
    expect(http.remediation[0]).toMatch(/higress-doctor check url (http:\/\/\S+\/plugin\.wasm) \(the raw answer: curl -v \1\)$/);
    // The check step replaces the pattern's and the cause's own "request the URL from inside the container".
    expect(http.remediation.filter((s) => /inside the gateway container/i.test(s))).toHaveLength(1);
    const mod = top('wasm-module-incompatible-missing-import.log');
    expect(mod.remediation[0]).toBe('Check the module against this gateway before the next rollout: higress-doctor check module <plugin.wasm or its URL> --gateway <Higress version>');
    expect(top('oom-killed.log').remediation.join(' ')).not.toContain('higress-doctor check');
  });
});
