// A real OCI registry for the check tests: Debian's docker-registry (the Distribution registry),
// started on 127.0.0.1 with a temporary config and storage; images are pushed over the
// distribution API (blob upload, manifest PUT) as any client would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export const registryAvailable = (): boolean => existsSync(REGISTRY_BIN);

export interface Registry {
  readonly host: string;
  /** Basic credentials of an htpasswd instance. */
  readonly auth: { user: string; password: string } | null;
  push(repo: string, tag: string, layers: ReadonlyArray<{ mediaType: string; data: Buffer }>, opts?: { manifestMediaType?: string }): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A bcrypt line for htpasswd (the registry accepts bcrypt only). Without apache2-utils, perl's
 * crypt() — glibc/libxcrypt — makes one; null when nothing here can.
 */
export function bcryptLine(user: string, password: string): string | null {
  const salt = createHash('sha256').update(user).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 22).padEnd(22, 'a');
  const htpasswd = spawnSync('htpasswd', ['-nbB', user, password], { encoding: 'utf8' });
  if (htpasswd.status === 0 && htpasswd.stdout.includes(':$2')) return htpasswd.stdout.trim();
  const perl = spawnSync('perl', ['-e', 'print crypt($ARGV[0], $ARGV[1])', password, `$2b$05$${salt}`], { encoding: 'utf8' });
  if (perl.status === 0 && perl.stdout.startsWith('$2b$')) return `${user}:${perl.stdout.trim()}`;
  return null;
}

export async function startRegistry(opts: { htpasswd?: { user: string; password: string } } = {}): Promise<Registry> {
  const dir = mkdtempSync(join(tmpdir(), 'hd-registry-'));
  const port = await freePort();
  let auth = '';
  if (opts.htpasswd) {
    const line = bcryptLine(opts.htpasswd.user, opts.htpasswd.password);
    if (!line) throw new Error('cannot make a bcrypt password line here (no htpasswd, no perl crypt with bcrypt)');
    writeFileSync(join(dir, 'htpasswd'), `${line}\n`);
    auth = `auth:\n  htpasswd:\n    realm: test-realm\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
  );
  const proc: ChildProcess = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const base = `http://127.0.0.1:${port}`;
  const authHeader: Record<string, string> = opts.htpasswd ? { authorization: `Basic ${Buffer.from(`${opts.htpasswd.user}:${opts.htpasswd.password}`).toString('base64')}` } : {};
  // Ready when /v2/ answers (401 counts: it is the auth instance).
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${base}/v2/`);
      if (r.status === 200 || r.status === 401) break;
    } catch {
      // not listening yet
    }
    if (proc.exitCode !== null || i > 200) throw new Error(`docker-registry did not start: ${stderr.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const pushBlob = async (repo: string, data: Buffer): Promise<string> => {
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: authHeader });
    if (start.status !== 202) throw new Error(`blob upload start: ${start.status}`);
    const loc = new URL(start.headers.get('location')!, base);
    loc.searchParams.set('digest', digest);
    const put = await fetch(loc, { method: 'PUT', headers: { ...authHeader, 'content-type': 'application/octet-stream' }, body: data });
    if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
    return digest;
  };
  return {
    host: `127.0.0.1:${port}`,
    auth: opts.htpasswd ?? null,
    async push(repo, tag, layers, o = {}) {
      const config = Buffer.from('{}');
      const docker = o.manifestMediaType === 'application/vnd.docker.distribution.manifest.v2+json';
      const configDigest = await pushBlob(repo, config);
      const descriptors = [];
      for (const l of layers) descriptors.push({ mediaType: l.mediaType, digest: await pushBlob(repo, l.data), size: l.data.length });
      const manifest = {
        schemaVersion: 2,
        mediaType: o.manifestMediaType ?? 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
        layers: descriptors,
      };
      const r = await fetch(`${base}/v2/${repo}/manifests/${tag}`, {
        method: 'PUT',
        headers: { ...authHeader, 'content-type': manifest.mediaType },
        body: JSON.stringify(manifest),
      });
      if (r.status !== 201) throw new Error(`manifest PUT: ${r.status} ${await r.text()}`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (proc.exitCode !== null) return done();
        proc.once('exit', done);
        proc.kill('SIGTERM');
      }),
  };
}
