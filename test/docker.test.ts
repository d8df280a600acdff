// `analyze --docker` as an operator meets it: the built CLI speaking real HTTP over a real unix socket to a Docker
// Engine API stand-in (bench/docker-stand-in.ts) serving test/fixtures/docker/all-in-one — an all-in-one container
// that exited OOMKilled (137), whose gateway.log has the offline seed incident (a URL pattern without ${name}, then
// a segfault in mcp-server), and whose environment holds that pattern. Every bad condition is one line on stderr;
// partial results are kept.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DockerStandIn, frame, makeTar } from '../bench/docker-stand-in.js';
import { Demuxer, dockerStatusLines, containerInfo } from '../src/sources/docker.js';
import { plainFileName, TarReader } from '../src/tar.js';
import { dockerEndpoint } from '../src/sources/docker-api.js';
import { BIN, ROOT } from './helpers/cli.js';
import { ensureBuilt } from './helpers/tmux.js';

const FIXTURE = join(ROOT, 'test/fixtures/docker/all-in-one');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI, without blocking this process (the stand-in answers from this event loop). */
function run(args: string[], env: NodeJS.ProcessEnv, prefix: string[] = []): Promise<Result> {
  return new Promise((resolve) => {
    const [cmd, ...pre] = prefix.length ? prefix : [process.execPath];
    const child = spawn(cmd!, [...pre, ...(prefix.length ? [process.execPath] : []), BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const oneLine = (stderr: string): void => {
  expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
  expect(stderr).toMatch(/^higress-doctor: /);
  expect(stderr).not.toMatch(/\n\s+at |internal error/);
};

interface Report {
  inputs: Array<{ name: string; lines: number }>;
  incidents: Array<{ cause: string; notes: string[]; evidence: Array<{ input: string; line: number; text: string }>; firstSeen: string | null }>;
  environment: {
    docker?: {
      name: string;
      id: string;
      apiVersion: string;
      tty: boolean;
      state: { status: string; oomKilled: boolean; exitCode: number };
      logFiles: string[] | null;
      urlPattern: { value: string; problem: string | null } | null;
      problems: string[];
    };
    window?: { since: string | null; until: string | null; leftOut: { before: number; after: number } };
  };
}

let dir: string;
let api: DockerStandIn;
let env: NodeJS.ProcessEnv;

async function fresh(apiVersion?: string): Promise<void> {
  await api?.close();
  api = await DockerStandIn.start({ fixture: FIXTURE, socket: join(dir, 'docker.sock'), ...(apiVersion ? { apiVersion } : {}) });
  env = { DOCKER_HOST: `unix://${api.socket}` };
}

describe('analyze --docker against the Engine API stand-in', () => {
  beforeAll(async () => {
    ensureBuilt(ROOT);
    dir = mkdtempSync(join(tmpdir(), 'hd-docker-'));
    await fresh();
  }, 180_000);
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await fresh();
  });

  it('reads the container log, the files of /var/log/higress, its state and its URL pattern, each line tagged', async () => {
    const r = await run(['analyze', '--docker', 'higress-ai', '--format', 'json'], env);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('');
    const d = JSON.parse(r.stdout) as Report;
    const lines = Object.fromEntries(d.inputs.map((i) => [i.name, i.lines]));
    // The stopped container's own log is still read: four lines, frames undone (one came on stderr).
    expect(lines['container/stdout']).toBe(4);
    expect(lines['container/gateway.log']).toBe(196);
    expect(lines['container/controller.log']).toBe(7);
    expect(lines['container/plugin-server.log']).toBe(1);
    const oom = d.incidents.find((i) => i.cause === 'oom')!;
    expect(oom.evidence).toContainEqual({ input: 'container (status)', line: 2, text: '  Reason:       OOMKilled' });
    const crash = d.incidents.find((i) => i.cause === 'wasm-plugin-crash')!;
    expect(crash.evidence.every((e) => e.input === 'container/gateway.log')).toBe(true);
    const fetch = d.incidents.find((i) => i.cause === 'wasm-fetch-bad-address')!;
    expect(fetch.notes.join('\n')).toMatch(/Confirmed by the container's environment: HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN=http:\/\/192\.168\.10\.20:8080\/plugin\.wasm has no \$\{name\}/);
    const dk = d.environment.docker!;
    expect(dk).toMatchObject({ name: 'higress-ai', id: '4f1c2b9a7d3e', apiVersion: '1.41', tty: false, state: { status: 'exited', oomKilled: true, exitCode: 137 } });
    expect(dk.logFiles).toEqual(['controller.log', 'gateway.log', 'plugin-server.log']);
    expect(dk.urlPattern).toEqual({ value: 'http://192.168.10.20:8080/plugin.wasm', problem: 'has no ${name}: every plugin fetches the same URL' });
    // The API was negotiated (the daemon speaks 1.43; this client at most 1.41), the log asked for with both streams and timestamps.
    expect(api.requests[0]).toBe('GET /_ping');
    expect(api.requests.some((q) => /^GET \/v1\.41\/containers\/higress-ai\/json$/.test(q))).toBe(true);
    expect(api.requests.some((q) => /\/logs\?stdout=1&stderr=1&timestamps=1$/.test(q))).toBe(true);
    expect(api.requests.some((q) => q.includes('/archive?path=%2Fvar%2Flog%2Fhigress'))).toBe(true);
  });

  it('the text report names the container, its state and the URL pattern; evidence names container/… inputs', async () => {
    const r = await run(['analyze', '--docker', 'higress-ai'], env);
    const text = r.stdout.replace(/\n {2}/g, ' ');
    expect(text).toMatch(/container: higress-ai \(4f1c2b9a7d3e\) · \S+ · exited \(OOMKilled, exit 137 at 2026-05-20T08:08:40/);
    expect(text).toContain('URL pattern: HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN=http://192.168.10.20:8080/plugin.wasm — has no ${name}');
    expect(r.stdout).toContain('container/gateway.log:167');
  });

  it('the Markdown report names the container, its state and the URL pattern too', async () => {
    const r = await run(['analyze', '--docker', 'higress-ai', '--format', 'markdown'], env);
    const env_ = r.stdout.slice(r.stdout.indexOf('## Environment'));
    expect(env_).toMatch(/- container: higress-ai \(4f1c2b9a7d3e\) · \S+ · exited \(OOMKilled, exit 137 at 2026-05-20T08:08:40/);
    // Redacted by default, as every Markdown report: the address is a pseudonym, the verdict stays.
    expect(env_).toMatch(/- URL pattern: HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN=http:\/\/\\<ip-1\\>:8080\/plugin\.wasm — has no \\\$\{name\}/);
    expect(r.stdout).not.toContain('192.168.10.20');
  });

  it('an older daemon gets its own API version; a container with a TTY has its log read raw', async () => {
    await fresh('1.40');
    (api.inspect.Config as { Tty: boolean }).Tty = true;
    const d = JSON.parse((await run(['analyze', '--docker', '4f1c2b9a', '--format', 'json'], env)).stdout) as Report;
    expect(d.environment.docker!.apiVersion).toBe('1.40');
    expect(api.requests.filter((q) => q !== 'GET /_ping').every((q) => q.includes(' /v1.40/'))).toBe(true);
    expect(d.inputs.find((i) => i.name === 'container/stdout')!.lines).toBe(4);
  });

  it('--since / --until: the log is asked from then, the files are cut by their events, the state stays', async () => {
    const r = await run(['analyze', '--docker', 'higress-ai', '--format', 'json', '--since', '2026-05-20T08:00:00Z', '--until', '2026-05-20T08:06:00Z'], env);
    const d = JSON.parse(r.stdout) as Report;
    expect(api.requests.some((q) => /\/logs\?.*since=1779264000&until=1779264360/.test(q))).toBe(true);
    expect(d.incidents.map((i) => i.cause)).not.toContain('wasm-plugin-crash');
    expect(d.incidents.map((i) => i.cause)).toContain('oom');
    const fetch = d.incidents.find((i) => i.cause === 'wasm-fetch-bad-address')!;
    expect(Date.parse(fetch.firstSeen!)).toBeGreaterThanOrEqual(Date.parse('2026-05-20T08:00:00Z'));
    expect(d.environment.window!.leftOut.before).toBeGreaterThan(0);
    expect(d.environment.window!.leftOut.after).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/^higress-doctor: --since\/--until left out \d+ before --since and \d+ after --until/);
  });

  describe('bad conditions: one line each, partial results kept', () => {
    it('no socket', async () => {
      const r = await run(['analyze', '--docker', 'higress-ai'], { DOCKER_HOST: `unix://${join(dir, 'none.sock')}` });
      expect(r.code).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/no Docker socket at .*none\.sock/);
    });

    it('something that is not a socket, and a stale socket file', async () => {
      const file = join(dir, 'plain-file');
      writeFileSync(file, '');
      const r = await run(['analyze', '--docker', 'x'], { DOCKER_HOST: `unix://${file}` });
      expect(r.code).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/refused|not a socket|nothing listens/);
    });

    const nobody = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', '0'], { stdio: 'ignore' }).status === 0;
    it.skipIf(process.getuid?.() === 0 && !nobody)('permission denied on the socket', async () => {
      chmodSync(api.socket, 0o600);
      // As root the file's mode does not stop us: run the CLI as nobody.
      const prefix = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
      if (prefix.length === 0) chmodSync(api.socket, 0o000);
      const r = await run(['analyze', '--docker', 'higress-ai'], { ...env, HOME: dir }, prefix);
      expect(r.code, r.stderr).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/permission denied on the Docker socket .*docker\.sock: run as root, or as a member of the group that owns it/);
    });

    it('no such container (404)', async () => {
      const r = await run(['analyze', '--docker', 'nope'], env);
      expect(r.code).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/no such container: nope \(docker ps -a/);
    });

    it('the daemon answering an error: on inspect it stops the run; on the log the rest is diagnosed', async () => {
      api.failures.push({ path: /\/json$/, status: 500, message: 'containerd: connection error' });
      const a = await run(['analyze', '--docker', 'higress-ai'], env);
      expect(a.code).toBe(2);
      oneLine(a.stderr);
      expect(a.stderr).toMatch(/inspecting container higress-ai: the Docker daemon answered 500: containerd: connection error/);
      api.failures.length = 0;
      api.failures.push({ path: /\/logs$/, status: 501, message: 'configured logging driver does not support reading' });
      const b = await run(['analyze', '--docker', 'higress-ai', '--format', 'json'], env);
      expect(b.code).toBe(1);
      oneLine(b.stderr);
      expect(b.stderr).toMatch(/its logging driver keeps no log/);
      const d = JSON.parse(b.stdout) as Report;
      expect(d.inputs.map((i) => i.name)).not.toContain('container/stdout');
      expect(d.incidents.map((i) => i.cause)).toContain('wasm-plugin-crash');
      expect(d.environment.docker!.problems).toHaveLength(1);
    });

    it('no /var/log/higress (an older image): its own log and state are still diagnosed', async () => {
      api.files = null;
      const r = await run(['analyze', '--docker', 'higress-ai', '--format', 'json'], env);
      expect(r.code).toBe(1);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/higress-ai has no \/var\/log\/higress/);
      const d = JSON.parse(r.stdout) as Report;
      expect(d.environment.docker!.logFiles).toBeNull();
      expect(d.incidents.map((i) => i.cause)).toEqual(['oom']);
    });

    it('a DOCKER_HOST this client cannot speak, and --docker with files', async () => {
      const tls = await run(['analyze', '--docker', 'x'], { DOCKER_HOST: 'tcp://10.0.0.1:2376', DOCKER_TLS_VERIFY: '1' });
      expect(tls.code).toBe(2);
      oneLine(tls.stderr);
      expect(tls.stderr).toMatch(/TLS to the daemon is not supported/);
      const both = await run(['analyze', '--docker', 'x', 'gateway.log'], env);
      expect(both.code).toBe(2);
      oneLine(both.stderr);
    });
  });
});

describe('docker pieces', () => {
  it('the demuxer undoes frames cut anywhere, and passes a stream that is not framed through', () => {
    const stream = Buffer.concat([frame(1, Buffer.from('one\n')), frame(2, Buffer.from('two\n')), frame(1, Buffer.from('three\n'))]);
    for (let cut = 1; cut < stream.length; cut++) {
      const out: Buffer[] = [];
      const d = new Demuxer();
      d.push(stream.subarray(0, cut), (b) => out.push(Buffer.from(b)));
      d.push(stream.subarray(cut), (b) => out.push(Buffer.from(b)));
      expect(Buffer.concat(out).toString()).toBe('one\ntwo\nthree\n');
    }
    const raw: Buffer[] = [];
    new Demuxer().push(Buffer.from('2026-05-20T08:00:00Z plain text\n'), (b) => raw.push(Buffer.from(b)));
    expect(Buffer.concat(raw).toString()).toBe('2026-05-20T08:00:00Z plain text\n');
  });

  it('the tar reader reads files cut anywhere, PAX and GNU long names, and keeps only a plain file name', () => {
    const files = new Map([
      ['gateway.log', Buffer.from('a\n'.repeat(700))],
      ['controller.log', Buffer.from('')],
    ]);
    const tar = makeTar('higress', files);
    for (const step of [1, 7, 511, 512, 513, 4096]) {
      const got = new Map<string, string>();
      const r = new TarReader((h) => {
        const name = plainFileName(h);
        if (name === null) return null;
        got.set(name, '');
        return (b) => got.set(name, got.get(name)! + b.toString());
      });
      for (let p = 0; p < tar.length; p += step) r.push(tar.subarray(p, p + step));
      expect(r.end()).toBe(true);
      expect(r.complete).toBe(true);
      expect(got.get('gateway.log')).toBe('a\n'.repeat(700));
      expect(got.get('controller.log')).toBe('');
    }
    // A PAX header naming a long path, then a GNU long name; a path climbing out is reduced to its file name.
    const long = `higress/${'x'.repeat(120)}.log`;
    const pax = Buffer.from(`${String(long.length + 7 + 3).padStart(3, '0')} path=${long}\n`);
    const hdr = (name: string, size: number, type: string): Buffer => {
      const h = makeTar('.', new Map([[name, Buffer.alloc(size)]])).subarray(512, 1024);
      const c = Buffer.from(h);
      c[156] = type.charCodeAt(0);
      c.write('        ', 148, 'latin1');
      let sum = 0;
      for (const b of c) sum += b;
      c.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
      return c;
    };
    const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);
    const gnuName = Buffer.from('../../etc/evil.log\0');
    const stream = Buffer.concat([hdr('PaxHeader', pax.length, 'x'), pad(pax), hdr('short', 3, '0'), pad(Buffer.from('pax')), hdr('././@LongLink', gnuName.length, 'L'), pad(gnuName), hdr('x', 3, '0'), pad(Buffer.from('gnu')), Buffer.alloc(1024)]);
    const seen: Array<[string, string]> = [];
    const r = new TarReader((h) => {
      seen.push([plainFileName(h) ?? '', h.path]);
      return () => undefined;
    });
    r.push(stream);
    expect(r.end()).toBe(true);
    expect(seen).toEqual([
      [`${'x'.repeat(120)}.log`, long],
      ['evil.log', '../../etc/evil.log'],
    ]);
    // Cut inside a file: not whole.
    const cut = new TarReader(() => null);
    cut.push(tar.subarray(0, 900));
    expect(cut.end()).toBe(false);
  });

  it('the state becomes the lines kubectl describe prints, nothing when it says nothing', () => {
    const base = { status: 'running', running: true, oomKilled: false, exitCode: 0, error: null, startedAt: '2026-05-20T08:00:00Z', finishedAt: null, restartCount: 0 };
    expect(dockerStatusLines(base)).toEqual([]);
    expect(dockerStatusLines({ ...base, status: 'exited', running: false, exitCode: 139, finishedAt: '2026-05-20T09:00:00Z' })).toEqual([
      'State:          Terminated',
      '  Reason:       Error',
      '  Exit Code:    139',
      '  Started:      2026-05-20T08:00:00Z',
      '  Finished:     2026-05-20T09:00:00Z',
      'Restart Count:  0',
    ]);
    expect(dockerStatusLines({ ...base, restartCount: 2, finishedAt: '2026-05-20T07:59:00Z' })).toContain('Last State:     Terminated');
    const info = containerInfo({ Id: 'abc', Name: '/n', State: { FinishedAt: '0001-01-01T00:00:00Z' }, Config: { Env: ['A=1', 'HIGRESS_ADMIN_WASM_PLUGIN_CUSTOM_IMAGE_URL_PATTERN=http://h/${name}.wasm'] } });
    expect(info.state.finishedAt).toBeNull();
    expect(info.urlPattern).toBe('http://h/${name}.wasm');
  });

  it('DOCKER_HOST: the default socket, unix://, tcp:// without TLS; others are one clear error', () => {
    expect(dockerEndpoint({})).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(dockerEndpoint({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toEqual({ socketPath: '/run/user/1000/docker.sock' });
    expect(dockerEndpoint({ DOCKER_HOST: 'tcp://10.1.2.3:2375' })).toEqual({ host: '10.1.2.3', port: 2375 });
    expect(() => dockerEndpoint({ DOCKER_HOST: 'npipe:////./pipe/docker_engine' })).toThrow(/only unix:\/\/ and tcp:\/\//);
  });
});
