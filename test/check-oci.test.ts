// `check oci` against a real registry (Debian's docker-registry on 127.0.0.1): a Higress-style
// plugin image, wrong packagings pushed as other tools push them, missing tags, an htpasswd
// instance for the 401 path. CI installs the registry (.ci/run); without it these say so and skip.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtures, tarGz, type Fixtures } from './helpers/plugin-fixtures.js';
import { registryAvailable, startRegistry, bcryptLine, type Registry } from './helpers/registry.js';
import { inAllFormats, markdownRow, runCheck, textBlock, type AllFormats } from './helpers/check-cli.js';
import { startPluginServer } from './helpers/plugin-server.js';

const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
const available = registryAvailable();
if (!available) console.warn('docker-registry is not installed (apt-get install docker-registry): the check oci tests are skipped');
const canHash = available && bcryptLine('u', 'p') !== null;
if (available && !canHash) console.warn('no bcrypt for htpasswd here (htpasswd or perl crypt): the registry auth tests are skipped');

let fx: Fixtures;
let reg: Registry;
let dir: string;

function expectCheck(r: AllFormats, target: string, e: { ok: boolean; cause?: string; title: string }): void {
  const c = r.checks.find((x) => x.target === target);
  expect(c, `${target} in ${r.json.stdout.slice(0, 1500)}`).toBeDefined();
  expect(c!.ok, c!.title).toBe(e.ok);
  expect(c!.cause, c!.title).toBe(e.cause ?? null);
  expect(c!.title).toContain(e.title);
  const block = textBlock(r.text.stdout, target);
  expect(block, r.text.stdout).toContain(e.title);
  expect(block.split('\n')[0]).toMatch(e.ok ? /^(?:OK|WARN)\s/ : new RegExp(`^FAIL\\s+${e.cause}\\s`));
  const row = markdownRow(r.markdown.stdout, target);
  expect(row, r.markdown.stdout).toContain(e.title);
  if (e.cause) expect(row).toContain(`\`${e.cause}\``);
}

describe.skipIf(!available)('check oci', () => {
  beforeAll(async () => {
    fx = await buildFixtures();
    reg = await startRegistry();
    // As Higress publishes its plugins: one tar+gzip layer holding plugin.wasm.
    await reg.push('plugins/key-auth', '1.0.0', [{ mediaType: OCI_LAYER, data: tarGz([['plugin.wasm', fx.good]]) }]);
    // A bare module pushed with `oras push … plugin.wasm` under another tool's media type.
    await reg.push('plugins/raw', '1.0.0', [{ mediaType: 'application/vnd.wasm.content.layer.v1+wasm', data: fx.good }]);
    // Three layers, the last one a README: neither the compat nor the artifact layout.
    await reg.push('plugins/three', '1.0.0', [
      { mediaType: OCI_LAYER, data: tarGz([['plugin.wasm', fx.good]]) },
      { mediaType: OCI_LAYER, data: tarGz([['spec.yaml', Buffer.from('name: three\n')]]) },
      { mediaType: 'text/markdown', data: Buffer.from('# three\n') },
    ]);
    // The layer holds the module under another name.
    await reg.push('plugins/renamed', '1.0.0', [{ mediaType: OCI_LAYER, data: tarGz([['main.wasm', fx.good]]) }]);
    // Right packaging, module for another host.
    await reg.push('plugins/wasi', '1.0.0', [{ mediaType: OCI_LAYER, data: tarGz([['plugin.wasm', fx.wasiMissing]]) }]);
    // The Wasm artifact layout: two layers, one raw module.
    await reg.push('plugins/artifact', '1.0.0', [
      { mediaType: 'application/vnd.module.wasm.content.layer.v1+wasm', data: fx.good },
      { mediaType: 'application/vnd.module.wasm.runtime.config.v1+json', data: Buffer.from('{}') },
    ]);
    // A Docker-built image (FROM scratch, COPY plugin.wasm).
    await reg.push('plugins/docker', '1.0.0', [{ mediaType: DOCKER_LAYER, data: tarGz([['plugin.wasm', fx.good]]) }], { manifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json' });
    dir = mkdtempSync(join(tmpdir(), 'hd-oci-'));
  });
  afterAll(async () => {
    await reg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const ref = (repo: string, tag = '1.0.0'): string => `oci://${reg.host}/${repo}:${tag}`;

  it('each image, as the gateway would take it', async () => {
    const refs = ['plugins/key-auth', 'plugins/raw', 'plugins/three', 'plugins/renamed', 'plugins/wasi', 'plugins/artifact', 'plugins/docker'].map((r) => ref(r));
    const r = await inAllFormats(['oci', ...refs, ref('plugins/key-auth', '9.9.9'), ref('plugins/nothing-here')]);
    expect(r.code).toBe(1);
    expect(r.checks).toHaveLength(9);
    expectCheck(r, ref('plugins/key-auth'), { ok: true, title: 'a Proxy-Wasm module (ABI 0_2_100, 3 imports) that Higress 2.2 can load' });
    expect(r.checks[0]!.details).toMatchObject({ scheme: 'http', layer: { mediaType: OCI_LAYER }, entries: ['plugin.wasm'] });
    expectCheck(r, ref('plugins/raw'), {
      ok: false,
      cause: 'wasm-image-format',
      title: 'not a Wasm image the gateway accepts: 1 layer (application/vnd.wasm.content.layer.v1+wasm); the gateway wants its last layer to be application/vnd.oci.image.layer.v1.tar+gzip holding plugin.wasm',
    });
    expectCheck(r, ref('plugins/three'), { ok: false, cause: 'wasm-image-format', title: 'not a Wasm image the gateway accepts: 3 layers' });
    expectCheck(r, ref('plugins/renamed'), { ok: false, cause: 'wasm-image-format', title: 'plugin.wasm not found in the plugin layer (it holds main.wasm)' });
    expectCheck(r, ref('plugins/wasi'), { ok: false, cause: 'wasm-module-incompatible', title: 'imports wasi_snapshot_preview1.sock_open' });
    expectCheck(r, ref('plugins/artifact'), { ok: true, title: 'a Proxy-Wasm module' });
    expectCheck(r, ref('plugins/docker'), { ok: true, title: 'a Proxy-Wasm module' });
    expectCheck(r, ref('plugins/key-auth', '9.9.9'), { ok: false, cause: 'wasm-fetch-bad-address', title: 'HTTP 404 MANIFEST_UNKNOWN: no tag 9.9.9 in' });
    expectCheck(r, ref('plugins/nothing-here'), { ok: false, cause: 'wasm-fetch-bad-address', title: 'HTTP 404' });
  });

  it('Higress 1.x wants exactly one layer: a compat image with two is rejected there', async () => {
    await reg.push('plugins/two', '1.0.0', [
      { mediaType: OCI_LAYER, data: tarGz([['README.md', Buffer.from('# two\n')]]) },
      { mediaType: OCI_LAYER, data: tarGz([['plugin.wasm', fx.good]]) },
    ]);
    const newer = await inAllFormats(['oci', ref('plugins/two')]);
    expectCheck(newer, ref('plugins/two'), { ok: true, title: 'a Proxy-Wasm module' });
    const older = await inAllFormats(['oci', ref('plugins/two'), '--gateway', '1.4.2']);
    expectCheck(older, ref('plugins/two'), { ok: false, cause: 'wasm-image-format', title: 'Higress 1.x wants exactly one application/vnd.oci.image.layer.v1.tar+gzip layer' });
  });

  it('an oci:// URL pattern checks each plugin image', async () => {
    const pattern = `oci://${reg.host}/plugins/\${name}:\${version}`;
    const r = await inAllFormats(['pattern', pattern, '--plugins', 'key-auth:1.0.0,raw:1.0.0']);
    expect(r.code).toBe(1);
    expectCheck(r, pattern, { ok: true, title: 'renders 2 distinct URLs for 2 plugins' });
    expectCheck(r, ref('plugins/key-auth'), { ok: true, title: 'a Proxy-Wasm module' });
    expectCheck(r, ref('plugins/raw'), { ok: false, cause: 'wasm-image-format', title: 'not a Wasm image the gateway accepts' });
    expect(r.checks[2]!.plugin).toBe('raw');
  });

  it('an unreachable registry is wasm-fetch-network; a reference that does not parse is wasm-fetch-bad-address', async () => {
    const closed = await startPluginServer({});
    const port = closed.port;
    await closed.close();
    const down = `oci://127.0.0.1:${port}/plugins/key-auth:1.0.0`;
    const r = await inAllFormats(['oci', down, 'oci://key-auth:1.0.0']);
    expectCheck(r, down, { ok: false, cause: 'wasm-fetch-network', title: 'connection refused' });
    expectCheck(r, 'oci://key-auth:1.0.0', { ok: false, cause: 'wasm-fetch-bad-address', title: 'not an image reference (no registry host: the gateway would look on Docker Hub)' });
  });

  describe.skipIf(!canHash)('with htpasswd auth', () => {
    let secured: Registry;
    beforeAll(async () => {
      secured = await startRegistry({ htpasswd: { user: 'puller', password: 'pa55word' } });
      await secured.push('plugins/key-auth', '1.0.0', [{ mediaType: OCI_LAYER, data: tarGz([['plugin.wasm', fx.good]]) }]);
    });
    afterAll(async () => {
      await secured?.stop();
    });

    it('anonymous and wrong credentials are wasm-fetch-auth; the right ones pass (--auth and a docker config.json)', async () => {
      const target = `oci://${secured.host}/plugins/key-auth:1.0.0`;
      // No docker config.json of the machine running the tests may answer for it.
      const env = { DOCKER_CONFIG: dir };
      const anon = await inAllFormats(['oci', target], env);
      expectCheck(anon, target, { ok: false, cause: 'wasm-fetch-auth', title: 'HTTP 401 UNAUTHORIZED: the registry needs credentials and none were given (anonymous)' });
      const wrong = await inAllFormats(['oci', target, '--auth', 'puller:nope'], env);
      expectCheck(wrong, target, { ok: false, cause: 'wasm-fetch-auth', title: 'HTTP 401 UNAUTHORIZED: the registry refused the credentials (user puller)' });
      expect(wrong.json.stdout + wrong.text.stdout + wrong.markdown.stdout).not.toContain('nope');
      const right = await inAllFormats(['oci', target, '--auth', 'puller:pa55word'], env);
      expectCheck(right, target, { ok: true, title: 'a Proxy-Wasm module' });
      expect(right.code).toBe(0);
      const cfg = join(dir, 'pull-secret.json');
      writeFileSync(cfg, JSON.stringify({ auths: { [secured.host]: { auth: Buffer.from('puller:pa55word').toString('base64') } } }));
      const viaConfig = await runCheck(['oci', target, '--docker-config', cfg, '--format', 'json'], env);
      const c = JSON.parse(viaConfig.stdout).checks[0];
      expect(c.ok).toBe(true);
      expect(c.details.credentials).toBe('from --docker-config');
    });
  });
});
