// The pieces of `check` that need no server: the host-function table, pattern reading, proxy choice,
// oci references, archives.
import { describe, expect, it } from 'vitest';
import { checkImport, gatewayFor, knownImports } from '../src/check/host-functions.js';
import { patternProblem, renderPattern } from '../src/check/pattern.js';
import { proxyFor } from '../src/check/http.js';
import { parseOciRef } from '../src/check/oci.js';
import { tarEntries } from '../src/tar.js';
import { Fault } from '../src/check/result.js';
import { tar } from './helpers/plugin-fixtures.js';

const gw = (v: string) => gatewayFor(v)!;

describe('host functions per Higress version', () => {
  it('names the first version of each Higress addition', () => {
    expect(checkImport('env', 'proxy_redis_call', '0_2_1', gw('1.3.6'))).toMatchObject({ ok: false, since: [1, 4, 0] });
    expect(checkImport('env', 'proxy_redis_call', '0_2_1', gw('1.4.0'))).toMatchObject({ ok: true, higressOnly: true });
    expect(checkImport('env', 'proxy_set_upstream_override_host', '0_2_100', gw('2.1.3'))).toMatchObject({ ok: false, since: [2, 1, 4] });
    expect(checkImport('env', 'proxy_set_upstream_override_host', '0_2_100', gw('2.1.4'))).toMatchObject({ ok: true });
    expect(checkImport('wasi_snapshot_preview1', 'poll_oneoff', '0_2_100', gw('2.0.7'))).toMatchObject({ ok: false, since: [2, 1, 0] });
    expect(checkImport('wasi_unstable', 'path_unlink_file', '0_2_100', gw('2.1.1'))).toMatchObject({ ok: false, since: [2, 1, 2] });
    expect(checkImport('wasi_unstable', 'path_unlink_file', '0_2_100', gw('2.2'))).toMatchObject({ ok: true, higressOnly: false });
  });
  it('knows what no version provides, and the ABI-specific functions', () => {
    expect(checkImport('wasi_snapshot_preview1', 'sock_open', '0_2_100', gw('2.2'))).toMatchObject({ ok: false, since: null });
    expect(checkImport('env', 'proxy_get_configuration', '0_1_0', gw('1.0'))).toMatchObject({ ok: true });
    expect(checkImport('env', 'proxy_get_configuration', '0_2_1', gw('2.2'))).toMatchObject({ ok: false, since: null });
    expect(checkImport('env', 'proxy_get_log_level', '0_2_0', gw('2.2'))).toMatchObject({ ok: false });
    expect(checkImport('env', 'proxy_continue_stream', '0_2_100', gw('1.3.0'))).toMatchObject({ ok: false, since: [1, 4, 0] });
    expect(knownImports()).toContain('env.proxy_log');
    expect(knownImports()).toContain('wasi_unstable.fd_write');
  });
  it('reads gateway versions', () => {
    expect(gatewayFor('v2.1')!.name).toBe('Higress 2.1.0');
    expect(gatewayFor('3.0')!.label).toContain('checked as 2.2.0');
    expect(gatewayFor('latest')).toBeNull();
    expect(gatewayFor(undefined)!.name).toBe('Higress 2.2');
  });
});

describe('URL patterns', () => {
  it('finds the shapes a missing or eaten ${name} leaves', () => {
    expect(patternProblem('http://h:8002/plugins/${name}/${version}/plugin.wasm')).toBeNull();
    expect(patternProblem('http://h:8080/.wasm')!.title).toContain('a file named only .wasm');
    expect(patternProblem('http://h:8002/plugins///plugin.wasm')!.title).toContain('an empty path segment');
    expect(patternProblem('http://h:8080/')!.title).toContain('a path ending in /');
    expect(patternProblem('http://h:8080/plugin.wasm')!.title).toBe('has no ${name}: every plugin fetches the same URL');
    expect(patternProblem('http://h:8080/$name.wasm')!.title).toContain('has $name instead of ${name}');
    expect(patternProblem('http://h:8080/${NAME}.wasm')!.title).toContain('contains ${NAME}, which the console never fills');
    expect(patternProblem('file:///opt/${name}.wasm')!.title).toContain('the scheme file://');
    expect(patternProblem('h:8080/${name}.wasm')!.title).toContain('not a URL');
  });
  it('replaces every ${name} and ${version}, literally', () => {
    expect(renderPattern('http://h/${name}/${version}/${name}.wasm', { name: 'key-auth', version: '1.0.0' })).toBe('http://h/key-auth/1.0.0/key-auth.wasm');
  });
});

describe('proxy choice (as Go reads the environment)', () => {
  const env = { HTTP_PROXY: 'proxy:3128', HTTPS_PROXY: 'http://u:p@sproxy:3128', NO_PROXY: '.corp.example, 10.0.0.0/8, plugins:8080' };
  it('uses HTTP_PROXY / HTTPS_PROXY by scheme, never for loopback', () => {
    expect(proxyFor(new URL('http://plugins.example/x.wasm'), env)!.host).toBe('proxy:3128');
    expect(proxyFor(new URL('https://plugins.example/x.wasm'), env)!.host).toBe('sproxy:3128');
    expect(proxyFor(new URL('http://127.0.0.1:8080/x.wasm'), env)).toBeNull();
    expect(proxyFor(new URL('http://localhost/x.wasm'), env)).toBeNull();
  });
  it('honours NO_PROXY domains, CIDRs and ports', () => {
    expect(proxyFor(new URL('http://a.corp.example/x.wasm'), env)).toBeNull();
    expect(proxyFor(new URL('http://10.1.2.3/x.wasm'), env)).toBeNull();
    expect(proxyFor(new URL('http://plugins:8080/x.wasm'), env)).toBeNull();
    expect(proxyFor(new URL('http://plugins:9090/x.wasm'), env)).not.toBeNull();
    expect(proxyFor(new URL('http://plugins/x.wasm'), { ...env, NO_PROXY: '*' })).toBeNull();
  });
});

describe('oci references', () => {
  it('parses them as go-containerregistry does, plain HTTP where the gateway uses it', () => {
    expect(parseOciRef('oci://192.168.1.10:5000/plugins/key-auth:1.0.0', false)).toMatchObject({ registry: '192.168.1.10:5000', repository: 'plugins/key-auth', reference: '1.0.0', scheme: 'http' });
    expect(parseOciRef('registry.example.com/plugins/key-auth', false)).toMatchObject({ reference: 'latest', scheme: 'https' });
    expect(parseOciRef('registry.example.com/plugins/key-auth:1', true).scheme).toBe('http');
    expect(parseOciRef(`reg.local/p@sha256:${'a'.repeat(64)}`, false)).toMatchObject({ reference: `sha256:${'a'.repeat(64)}`, scheme: 'http' });
    for (const bad of ['key-auth:1.0.0', 'oci://Reg.example.com/Plugins/X:1', 'https://reg.example.com/p:1', 'reg.example.com/p@sha256:zz']) {
      expect(() => parseOciRef(bad, false), bad).toThrow(Fault);
    }
  });
});

describe('tar', () => {
  it('reads entries and stops at damage', () => {
    const t = tar([['dir/plugin.wasm', Buffer.from('abc')], ['README.md', Buffer.from('x')]]);
    const { entries, damaged } = tarEntries(t);
    expect(entries.map((e) => [e.name, e.data.toString()])).toEqual([['dir/plugin.wasm', 'abc'], ['README.md', 'x']]);
    expect(damaged).toBe(false);
    expect(tarEntries(t.subarray(0, 700)).damaged).toBe(true);
  });
});
