// The Docker Engine API, spoken over its unix socket with node:http — no docker CLI, no dependency. `DOCKER_HOST`
// is honoured (`unix:///path`, or `tcp://host:port` without TLS); the default is /var/run/docker.sock. The API
// version is negotiated as the docker CLI does: `GET /_ping` says the daemon's, and requests use the lower of
// it and the newest this client was written for (v1.41, Docker 20.10), so old and new daemons both answer.
// Every failure is a DockerError whose message is one line an operator can act on.
import { request, type IncomingMessage } from 'node:http';

/** The newest API version this client uses (older daemons get their own). */
export const CLIENT_API_VERSION = '1.41';
/** Below this the endpoints used here (logs with since/until, archive, inspect's State) differ. */
const OLDEST_API_VERSION = '1.25';
export const DEFAULT_SOCKET = '/var/run/docker.sock';

export class DockerError extends Error {
  constructor(
    message: string,
    /** The HTTP status of the daemon's answer, when there was one. */
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'DockerError';
  }
}

/** Where the daemon listens. */
export type DockerEndpoint = { readonly socketPath: string } | { readonly host: string; readonly port: number };

/** The endpoint `DOCKER_HOST` names (default: the unix socket); a DockerError for what this client cannot speak. */
export function dockerEndpoint(env: NodeJS.ProcessEnv = process.env): DockerEndpoint {
  const raw = env.DOCKER_HOST?.trim();
  if (!raw) return { socketPath: DEFAULT_SOCKET };
  if (raw.startsWith('unix://')) {
    const path = raw.slice('unix://'.length);
    if (!path.startsWith('/')) throw new DockerError(`DOCKER_HOST=${raw}: a unix socket needs an absolute path (unix:///var/run/docker.sock)`);
    return { socketPath: path };
  }
  if (raw.startsWith('tcp://') || raw.startsWith('http://')) {
    if (env.DOCKER_TLS_VERIFY) throw new DockerError(`DOCKER_HOST=${raw} with DOCKER_TLS_VERIFY: TLS to the daemon is not supported; run higress-doctor on the Docker host (its unix socket), or copy the logs with docker cp`);
    const m = /^(?:tcp|http):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(raw);
    if (!m) throw new DockerError(`DOCKER_HOST=${raw}: expected tcp://HOST:PORT`);
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : 2375 };
  }
  throw new DockerError(`DOCKER_HOST=${raw}: only unix:// and tcp:// (without TLS) are supported`);
}

const where = (e: DockerEndpoint): string => ('socketPath' in e ? e.socketPath : `${e.host}:${e.port}`);

/** An answer whose body is still to be read. */
export interface DockerResponse {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: IncomingMessage;
}

const versionNumber = (v: string): number => {
  const [a, b] = v.split('.').map(Number);
  return (a ?? 0) * 1000 + (b ?? 0);
};

export class DockerClient {
  private version: string | null = null;

  constructor(
    readonly endpoint: DockerEndpoint = dockerEndpoint(),
    private readonly opts: { readonly timeoutMs?: number } = {},
  ) {}

  /** The API version in use, after connect(). */
  get apiVersion(): string | null {
    return this.version;
  }

  /** `GET /_ping`: the daemon answers and says its API version; the version used from now on is chosen. */
  async connect(signal?: AbortSignal): Promise<string> {
    const r = await this.raw('GET', '/_ping', signal);
    const text = await readBody(r.body, 4096);
    if (r.status !== 200) throw this.answerError('GET /_ping', r.status, text);
    const server = String(r.headers['api-version'] ?? '');
    if (!/^\d+\.\d+$/.test(server)) this.version = CLIENT_API_VERSION;
    else if (versionNumber(server) < versionNumber(OLDEST_API_VERSION)) {
      throw new DockerError(`the Docker daemon at ${where(this.endpoint)} speaks API ${server}; higress-doctor needs ${OLDEST_API_VERSION} or later (Docker 1.13+)`);
    } else this.version = versionNumber(server) < versionNumber(CLIENT_API_VERSION) ? server : CLIENT_API_VERSION;
    return this.version;
  }

  /** A versioned request; the body is the caller's to read (or to follow). */
  async get(path: string, signal?: AbortSignal, method: 'GET' | 'HEAD' = 'GET'): Promise<DockerResponse> {
    if (this.version === null) await this.connect(signal);
    return this.raw(method, `/v${this.version}${path}`, signal);
  }

  /** A versioned GET of a JSON document; a status other than 200 is a DockerError with the daemon's message. */
  async json(path: string, what: string, signal?: AbortSignal): Promise<unknown> {
    const r = await this.get(path, signal);
    const text = await readBody(r.body, 16 * 1024 * 1024);
    if (r.status !== 200) throw this.answerError(what, r.status, text);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new DockerError(`${what}: the Docker daemon's answer is not JSON`);
    }
  }

  /** The daemon's error message (`{"message": …}`) as one line. */
  answerError(what: string, status: number, body: string): DockerError {
    let message = body.trim();
    try {
      const m = (JSON.parse(body) as { message?: unknown }).message;
      if (typeof m === 'string') message = m;
    } catch {
      // not JSON: the text as it is
    }
    message = message.replace(/\s+/g, ' ').slice(0, 300);
    return new DockerError(`${what}: the Docker daemon answered ${status}${message ? `: ${message}` : ''}`, status);
  }

  private raw(method: string, path: string, signal?: AbortSignal): Promise<DockerResponse> {
    const e = this.endpoint;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          ...('socketPath' in e ? { socketPath: e.socketPath } : { host: e.host, port: e.port }),
          method,
          path,
          // The daemon ignores the host; the docker CLI sends this one.
          headers: { Host: 'docker', 'User-Agent': 'higress-doctor' },
          ...(signal ? { signal } : {}),
          ...(this.opts.timeoutMs ? { timeout: this.opts.timeoutMs } : {}),
        },
        (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res }),
      );
      req.on('timeout', () => req.destroy(new DockerError(`the Docker daemon at ${where(e)} did not answer within ${Math.round((this.opts.timeoutMs ?? 0) / 1000)} s`)));
      req.on('error', (err) => reject(this.connectError(err)));
      req.end();
    });
  }

  private connectError(err: unknown): Error {
    if (err instanceof DockerError) return err;
    const code = (err as NodeJS.ErrnoException).code;
    const at = where(this.endpoint);
    const unix = 'socketPath' in this.endpoint;
    if (code === 'ABORT_ERR') return err as Error;
    if (code === 'ENOENT') return new DockerError(`no Docker socket at ${at}: is Docker running on this host? (DOCKER_HOST=unix:///path names another socket)`);
    if (code === 'EACCES' || code === 'EPERM') {
      return new DockerError(`permission denied on the Docker socket ${at}: run as root, or as a member of the group that owns it (usually docker)`);
    }
    if (code === 'ECONNREFUSED') return new DockerError(unix ? `nothing listens on the Docker socket ${at}: the daemon is not running (a stale socket file)` : `the Docker daemon at ${at} refused the connection`);
    if (code === 'ENOTSOCK' || code === 'ENOTDIR') return new DockerError(`${at} is not a socket: DOCKER_HOST or the default /var/run/docker.sock names something else`);
    if (code === 'ECONNRESET' || code === 'EPIPE') return new DockerError(`the Docker daemon at ${at} closed the connection`);
    return new DockerError(`cannot reach the Docker daemon at ${at}: ${(err as Error).message}`);
  }
}

/** The body as text, at most `max` bytes of it. */
export async function readBody(body: NodeJS.ReadableStream, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of body as AsyncIterable<Buffer>) {
    if (n < max) chunks.push(c.subarray(0, max - n));
    n += c.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}
