// A stand-in for the Docker daemon, listening on a unix socket: the few Engine API paths `--docker` calls —
// `/_ping` (with its Api-Version header), `/vX.Y/containers/{id}/json`, `/logs` (multiplexed frames for a container
// without a TTY, raw for one with; `timestamps`, `since`, `until`, `tail`, `follow`) and `/archive` (GET: a tar of
// the container's /var/log/higress, made here; HEAD: its stat header) — served from a fixture folder
// (test/fixtures/docker/all-in-one: inspect.json, stdout.log of `TIMESTAMP text` lines, var-log-higress/*). The
// tests (test/docker.test.ts) start it in-process; by hand:
//
//   node dist/bench/docker-stand-in.js --fixture test/fixtures/docker/all-in-one --socket /tmp/hd-docker.sock
//   DOCKER_HOST=unix:///tmp/hd-docker.sock higress-doctor analyze --docker higress-ai
//
// then type on its stdin: `log TEXT` (a line of the container's own log), `append FILE TEXT` (a line of
// /var/log/higress/FILE), `rotate FILE` (supervisord's rename to FILE.1 and a new FILE), `stop` (the container
// exits), `quit`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

export interface StandInOptions {
  readonly fixture: string;
  readonly socket: string;
  /** The daemon's API version (`/_ping`'s Api-Version); requests for a newer one are refused, as a daemon does. */
  readonly apiVersion?: string;
}

interface LogLine {
  readonly ts: string;
  readonly text: string;
}

const sec = (ts: string): number => Date.parse(ts) / 1000;

/** A ustar header block for a file or folder (name ≤ 100 bytes: the fixtures' names are short). */
function tarHeader(name: string, size: number, type: '0' | '5', mtime: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(type === '5' ? '0000755\0' : '0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  h.write(`${Math.floor(mtime).toString(8).padStart(11, '0')}\0`, 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(type, 156, 'latin1');
  h.write('ustar\0' + '00', 257, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

/** A tar of a folder and its files, as the archive endpoint sends it (`higress/` then `higress/gateway.log`, …). */
export function makeTar(root: string, files: ReadonlyMap<string, Buffer>, mtime = Date.now() / 1000): Buffer {
  const parts: Buffer[] = [tarHeader(`${root}/`, 0, '5', mtime)];
  for (const [name, data] of files) {
    parts.push(tarHeader(`${root}/${name}`, data.length, '0', mtime), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** One frame of the multiplexed stream: stream 1 (stdout) or 2 (stderr). */
export function frame(stream: 1 | 2, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(payload.length, 4);
  return Buffer.concat([h, payload]);
}

export class DockerStandIn {
  readonly requests: string[] = [];
  inspect: Record<string, unknown>;
  readonly stdout: LogLine[];
  /** The files of /var/log/higress; null: the folder does not exist (an older image). */
  files: Map<string, Buffer> | null;
  /** Answer every request whose path matches with this status and message (a daemon error). */
  readonly failures: Array<{ path: RegExp; status: number; message: string }> = [];
  private readonly followers = new Set<{ res: ServerResponse; tty: boolean }>();
  private constructor(
    private readonly server: Server,
    readonly socket: string,
    readonly apiVersion: string,
    fixture: string,
  ) {
    this.inspect = JSON.parse(readFileSync(join(fixture, 'inspect.json'), 'utf8')) as Record<string, unknown>;
    this.stdout = readFileSync(join(fixture, 'stdout.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => ({ ts: l.slice(0, l.indexOf(' ')), text: l.slice(l.indexOf(' ') + 1) }));
    const dir = join(fixture, 'var-log-higress');
    this.files = existsSync(dir) ? new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))])) : null;
  }

  static async start(o: StandInOptions): Promise<DockerStandIn> {
    rmSync(o.socket, { force: true });
    let self: DockerStandIn | null = null;
    const server = createServer((req, res) => self!.handle(req, res));
    await new Promise<void>((res, rej) => server.once('error', rej).listen(o.socket, () => res()));
    self = new DockerStandIn(server, o.socket, o.apiVersion ?? '1.43', o.fixture);
    return self;
  }

  private get id(): string {
    return String(this.inspect.Id);
  }

  private get name(): string {
    return String(this.inspect.Name).replace(/^\//, '');
  }

  private get tty(): boolean {
    return (this.inspect.Config as { Tty?: boolean } | undefined)?.Tty === true;
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', 'Api-Version': this.apiVersion, ...headers });
    res.end(text);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://docker');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    for (const f of this.failures) if (f.path.test(url.pathname)) return this.send(res, f.status, { message: f.message });
    if (url.pathname === '/_ping') return this.send(res, 200, 'OK');
    const m = /^\/v(\d+\.\d+)(\/.*)$/.exec(url.pathname);
    if (!m) return this.send(res, 404, { message: 'page not found' });
    const [, version, path] = m;
    const [a, b] = version!.split('.').map(Number);
    const [sa, sb] = this.apiVersion.split('.').map(Number);
    if (a! * 1000 + b! > sa! * 1000 + sb!) {
      return this.send(res, 400, { message: `client version ${version} is too new. Maximum supported API version is ${this.apiVersion}` });
    }
    const c = /^\/containers\/([^/]+)\/(json|logs|archive)$/.exec(path!);
    if (!c) return this.send(res, 404, { message: 'page not found' });
    const who = decodeURIComponent(c[1]!);
    if (who !== this.name && who !== this.id && !(who.length >= 4 && this.id.startsWith(who))) return this.send(res, 404, { message: `No such container: ${who}` });
    if (c[2] === 'json') return this.send(res, 200, this.inspect);
    if (c[2] === 'logs') return this.logs(url.searchParams, res);
    return this.archive(req.method ?? 'GET', url.searchParams, res);
  }

  private line(l: LogLine, timestamps: boolean): Buffer {
    return Buffer.from(`${timestamps ? `${l.ts} ` : ''}${l.text}${this.tty ? '\r\n' : '\n'}`);
  }

  private logs(q: URLSearchParams, res: ServerResponse): void {
    const since = q.has('since') ? Number(q.get('since')) : 0;
    const until = q.has('until') ? Number(q.get('until')) : Infinity;
    const ts = q.get('timestamps') === '1' || q.get('timestamps') === 'true';
    let lines = this.stdout.filter((l) => sec(l.ts) >= since && (until === 0 || sec(l.ts) <= until));
    const tail = q.get('tail');
    if (tail && tail !== 'all') lines = lines.slice(-Number(tail));
    res.writeHead(200, { 'Content-Type': this.tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream', 'Api-Version': this.apiVersion });
    for (const l of lines) {
      const b = this.line(l, ts);
      // Stderr for the lines that look like errors, as a process would write them.
      res.write(this.tty ? b : frame(/\berror\b|ERRO|CRIT/i.test(l.text) ? 2 : 1, b));
    }
    const running = (this.inspect.State as { Running?: boolean } | undefined)?.Running === true;
    if ((q.get('follow') === '1' || q.get('follow') === 'true') && running) {
      const f = { res, tty: this.tty };
      this.followers.add(f);
      res.on('close', () => this.followers.delete(f));
    } else res.end();
  }

  private archive(method: string, q: URLSearchParams, res: ServerResponse): void {
    const path = (q.get('path') ?? '').replace(/\/+$/, '');
    const files = this.files;
    const stat = (name: string, size: number, dir: boolean): string =>
      Buffer.from(JSON.stringify({ name, size, mode: dir ? 2147484141 : 420, mtime: new Date().toISOString(), linkTarget: '' })).toString('base64');
    if (files && path === '/var/log/higress') {
      const tar = makeTar('higress', files);
      res.writeHead(200, { 'Content-Type': 'application/x-tar', 'X-Docker-Container-Path-Stat': stat('higress', 4096, true), 'Api-Version': this.apiVersion });
      return void res.end(method === 'HEAD' ? undefined : tar);
    }
    const file = files && path.startsWith('/var/log/higress/') ? files.get(path.slice('/var/log/higress/'.length)) : undefined;
    if (file) {
      const name = path.split('/').pop()!;
      res.writeHead(200, { 'Content-Type': 'application/x-tar', 'X-Docker-Container-Path-Stat': stat(name, file.length, false), 'Api-Version': this.apiVersion });
      return void res.end(method === 'HEAD' ? undefined : makeTar('.', new Map([[name, file]])).subarray(512));
    }
    return this.send(res, 404, { message: `Could not find the file ${path} in container ${this.name}` });
  }

  /** A line of the container's own log, now (sent to followers). */
  log(text: string, ts = new Date().toISOString()): void {
    const l = { ts, text };
    this.stdout.push(l);
    for (const f of this.followers) {
      const b = this.line(l, true);
      f.res.write(f.tty ? b : frame(1, b));
    }
  }

  /** A line at the end of /var/log/higress/FILE. */
  append(file: string, text: string): void {
    if (!this.files) this.files = new Map();
    this.files.set(file, Buffer.concat([this.files.get(file) ?? Buffer.alloc(0), Buffer.from(`${text}\n`)]));
  }

  /** supervisord's rotation: FILE → FILE.1, a new empty FILE. */
  rotate(file: string): void {
    const f = this.files?.get(file);
    if (!this.files || !f) return;
    this.files.set(`${file}.1`, f);
    this.files.set(file, Buffer.alloc(0));
  }

  /** The container exits (its log streams end). */
  stop(exitCode = 0, oomKilled = false): void {
    const st = this.inspect.State as Record<string, unknown>;
    Object.assign(st, { Status: 'exited', Running: false, ExitCode: exitCode, OOMKilled: oomKilled, FinishedAt: new Date().toISOString() });
    for (const f of this.followers) f.res.end();
    this.followers.clear();
  }

  /** Set the container running (for follow tests): streams stay open. */
  run(): void {
    Object.assign(this.inspect.State as Record<string, unknown>, { Status: 'running', Running: true, ExitCode: 0, OOMKilled: false });
  }

  async close(): Promise<void> {
    for (const f of this.followers) f.res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
    rmSync(this.socket, { force: true });
  }
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const s = await DockerStandIn.start({ fixture: arg('--fixture') ?? 'test/fixtures/docker/all-in-one', socket: arg('--socket') ?? '/tmp/hd-docker.sock', ...(arg('--api') ? { apiVersion: arg('--api')! } : {}) });
  process.stdout.write(`Docker API stand-in on unix://${s.socket}\nexport DOCKER_HOST=unix://${s.socket}\n`);
  const rl = createInterface({ input: process.stdin });
  for await (const raw of rl) {
    const [cmd, a, ...rest] = raw.trim().split(' ');
    if (cmd === 'log') s.log([a, ...rest].join(' ').replace(/\\t/g, '\t'));
    else if (cmd === 'append' && a) s.append(a, rest.join(' ').replace(/\\t/g, '\t'));
    else if (cmd === 'rotate' && a) s.rotate(a);
    else if (cmd === 'stop') s.stop(Number(a ?? 0));
    else if (cmd === 'run') s.run();
    else if (cmd === 'quit') break;
    else if (cmd) process.stdout.write('commands: log TEXT · append FILE TEXT · rotate FILE · run · stop [CODE] · quit\n');
  }
  await s.close();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main(process.argv.slice(2));
