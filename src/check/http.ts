// A GET that behaves like the gateway's agent (Go net/http): HTTP(S)_PROXY and NO_PROXY from the
// environment (loopback never proxied), redirects followed and recorded, and bounds on everything
// a hostile or broken server could stretch: connect time, total time, bytes.
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import { isIP } from 'node:net';
import type { CauseId } from '../model.js';
import { stripControls } from '../sanitize.js';
import { toolVersion } from '../version.js';
import { displayUrl, isLoopbackHost } from './result.js';

export interface FetchOptions {
  readonly connectTimeoutMs: number;
  readonly totalTimeoutMs: number;
  /** The body is cut (an error) beyond this. */
  readonly maxBytes: number;
  readonly maxRedirects: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Where HTTP(S)_PROXY / NO_PROXY are read. */
  readonly env: NodeJS.ProcessEnv;
  /** Headers dropped when a redirect leaves the original host (credentials). */
  readonly sensitiveHeaders?: readonly string[];
}

export interface Redirect {
  readonly status: number;
  readonly to: string;
}

export interface FetchResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly redirects: readonly Redirect[];
  /** The proxy used, for the report (no credentials). */
  readonly proxy: string | null;
}

export type FetchErrorKind =
  | 'bad-url' | 'dns' | 'refused' | 'reset' | 'unreachable' | 'connect-timeout' | 'timeout'
  | 'tls' | 'plain-http' | 'protocol' | 'proxy' | 'too-many-redirects' | 'too-large' | 'truncated';

export class FetchError extends Error {
  constructor(readonly kind: FetchErrorKind, message: string) {
    super(message);
  }
}

export function causeOf(kind: FetchErrorKind): CauseId {
  switch (kind) {
    case 'bad-url':
    case 'too-many-redirects':
      return 'wasm-fetch-bad-address';
    case 'tls':
    case 'plain-http':
      return 'wasm-fetch-tls';
    case 'too-large':
      return 'wasm-module-corrupt';
    default:
      return 'wasm-fetch-network';
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Error pages and registry answers need little; only a 2xx body may be a module. */
const SMALL_BODY = 1024 * 1024;

export async function httpGet(raw: string, opts: FetchOptions): Promise<FetchResponse> {
  const deadline = Date.now() + opts.totalTimeoutMs;
  let url = parseHttpUrl(raw);
  const first = url;
  const redirects: Redirect[] = [];
  let headers = { ...opts.headers };
  for (;;) {
    const proxy = proxyFor(url, opts.env);
    const res = await requestOnce(url, proxy, headers, opts, deadline);
    const location = res.headers.location;
    if (REDIRECTS.has(res.status) && location) {
      if (redirects.length >= opts.maxRedirects) throw new FetchError('too-many-redirects', `more than ${opts.maxRedirects} redirects (last to ${clean(displayUrl(location)).slice(0, 200)})`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new FetchError('bad-url', `a redirect to an unusable location: ${clean(location).slice(0, 200)}`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new FetchError('bad-url', `a redirect to an unsupported scheme: ${next.protocol}`);
      redirects.push({ status: res.status, to: displayUrl(next.href) });
      // As Go does: credentials do not follow a redirect to another host.
      if (next.host !== first.host) for (const h of opts.sensitiveHeaders ?? []) delete headers[h];
      url = next;
      continue;
    }
    return { url: displayUrl(url.href), status: res.status, headers: res.headers, body: res.body, redirects, proxy: proxy ? displayUrl(proxy.href) : null };
  }
}

/** An http(s) URL, or a one-line reason it is not one. */
export function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchError('bad-url', `not a URL: ${clean(raw).slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError('bad-url', `the scheme ${url.protocol.replace(/:$/, '')}:// is not one the gateway fetches over HTTP (http or https)`);
  return url;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function requestOnce(url: URL, proxy: URL | null, headers: Record<string, string>, opts: FetchOptions, deadline: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const destroyers: Array<(e: Error) => void> = [];
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      const err = e instanceof FetchError ? e : mapError(e, url, proxy);
      for (const d of destroyers) d(err);
      reject(err);
    };
    const succeed = (r: RawResponse): void => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      resolve(r);
    };
    const remaining = deadline - Date.now();
    if (remaining <= 0) return fail(new FetchError('timeout', `no complete answer within ${Math.round(opts.totalTimeoutMs / 1000)} s`));
    timers.push(setTimeout(() => fail(new FetchError('timeout', `no complete answer within ${Math.round(opts.totalTimeoutMs / 1000)} s`)), remaining));
    const connectTimer = setTimeout(() => fail(new FetchError('connect-timeout', `could not connect to ${proxy ? `the proxy ${proxy.host}` : url.host} within ${opts.connectTimeoutMs / 1000} s`)), opts.connectTimeoutMs);
    timers.push(connectTimer);
    const connected = (): void => clearTimeout(connectTimer);
    const reqHeaders: Record<string, string> = { 'user-agent': `higress-doctor/${toolVersion()}`, ...headers };

    const onResponse = (res: http.IncomingMessage): void => {
      const status = res.statusCode ?? 0;
      const cap = status >= 200 && status < 300 ? opts.maxBytes : SMALL_BODY;
      const declared = Number(res.headers['content-length']);
      if (status >= 200 && status < 300 && Number.isFinite(declared) && declared > opts.maxBytes) {
        res.destroy();
        return fail(new FetchError('too-large', `the server announces ${formatMB(declared)}, more than the ${formatMB(opts.maxBytes)} a plugin module may be`));
      }
      const chunks: Buffer[] = [];
      let got = 0;
      res.on('data', (c: Buffer) => {
        got += c.length;
        if (got > cap) {
          res.destroy();
          if (cap === opts.maxBytes) fail(new FetchError('too-large', `more than ${formatMB(opts.maxBytes)}: not a plugin module`));
          else succeed({ status, headers: res.headers, body: Buffer.concat(chunks) });
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => succeed({ status, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', () => fail(truncated(got, declared)));
      res.on('aborted', () => fail(truncated(got, declared)));
      res.on('close', () => {
        if (!res.complete) fail(truncated(got, declared));
      });
    };

    const start = (socketFor?: () => Duplex): void => {
      const isHttps = url.protocol === 'https:';
      const viaForwardProxy = proxy !== null && !isHttps;
      const target = viaForwardProxy ? proxy! : url;
      const options: https.RequestOptions = {
        method: 'GET',
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port || (target.protocol === 'https:' ? 443 : 80),
        path: viaForwardProxy ? url.href : `${url.pathname}${url.search}`,
        headers: { ...reqHeaders, host: url.host, ...(viaForwardProxy ? proxyAuth(proxy!) : {}) },
        agent: false,
      };
      if (isHttps) {
        options.servername = isIP(url.hostname.replace(/^\[|\]$/g, '')) ? undefined : url.hostname;
        if (socketFor) {
          // Node uses createConnection only when no agent is given (agent: false makes one).
          options.createConnection = socketFor as never;
          delete options.agent;
        }
      }
      const req = (isHttps ? https : http).request(options, onResponse);
      destroyers.push((e) => req.destroy(e));
      req.on('socket', (s) => {
        if (socketFor) return connected();
        if (!s.connecting) connected();
        else s.once('connect', connected);
      });
      req.on('error', fail);
      req.end();
    };

    if (proxy && url.protocol === 'https:') {
      // HTTPS through a proxy: a CONNECT tunnel, then TLS to the target inside it.
      const req = http.request({
        method: 'CONNECT',
        host: proxy.hostname.replace(/^\[|\]$/g, ''),
        port: proxy.port || 80,
        path: `${url.hostname}:${url.port || 443}`,
        headers: { host: `${url.hostname}:${url.port || 443}`, ...proxyAuth(proxy) },
        agent: false,
      });
      destroyers.push((e) => req.destroy(e));
      req.on('socket', (s) => (s.connecting ? s.once('connect', connected) : connected()));
      req.on('connect', (res, socket) => {
        if (res.statusCode !== 200) {
          socket.destroy();
          return fail(new FetchError('proxy', `the proxy ${proxy.host} refused the tunnel to ${url.host}: HTTP ${res.statusCode}`));
        }
        destroyers.push(() => socket.destroy());
        const servername = isIP(url.hostname) ? undefined : url.hostname;
        start(() => tls.connect({ socket, servername }));
      });
      req.on('error', fail);
      req.end();
    } else start();
  });
}

function truncated(got: number, declared: number): FetchError {
  const of = Number.isFinite(declared) ? ` of ${declared}` : '';
  return new FetchError('truncated', `the server closed the connection after ${got}${of} bytes`);
}

function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const creds = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(creds).toString('base64')}` };
}

/**
 * The proxy Go's ProxyFromEnvironment would pick: HTTPS_PROXY for https, HTTP_PROXY for http
 * (upper case first), none for loopback or a NO_PROXY match.
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): URL | null {
  if (isLoopbackHost(url.hostname)) return null;
  const noProxy = env.NO_PROXY ?? env.no_proxy ?? '';
  if (noProxyMatches(url, noProxy)) return null;
  const raw = url.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!raw) return null;
  try {
    const p = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
    if (p.protocol !== 'http:') throw new FetchError('proxy', `the proxy ${displayUrl(p.href)} is not an http:// proxy; only those are supported here`);
    return p;
  } catch (e) {
    if (e instanceof FetchError) throw e;
    throw new FetchError('proxy', `the proxy setting ${clean(raw).slice(0, 100)} is not a URL`);
  }
}

function noProxyMatches(url: URL, spec: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (let entry of spec.split(/[\s,]+/).filter(Boolean)) {
    entry = entry.toLowerCase();
    if (entry === '*') return true;
    let entryPort: string | null = null;
    const m = /^(.*?):(\d+)$/.exec(entry);
    if (m && !entry.includes('::')) {
      entry = m[1]!;
      entryPort = m[2]!;
    }
    if (entryPort && entryPort !== port) continue;
    if (entry.includes('/') && isIP(host) === 4 && inCidr(host, entry)) return true;
    const bare = entry.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsRaw] = cidr.split('/');
  const bits = Number(bitsRaw);
  if (isIP(base ?? '') !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const n = (s: string): number => s.split('.').reduce((a, x) => (a << 8) + Number(x), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (n(ip) & mask) === (n(base!) & mask);
}

const TLS_CODES = /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_OSSL_)/;

function mapError(e: Error, url: URL, proxy: URL | null): FetchError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  // With a proxy, the connection (and its DNS lookup) is the proxy's; TLS is still the target's.
  const where = proxy ? `the proxy ${proxy.host}` : url.host;
  const msg = clean(e.message).slice(0, 200);
  if (/^(?:ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|EAI_NODATA)$/.test(code)) return new FetchError('dns', `${proxy ? `the proxy ${proxy.hostname}` : url.hostname}: no such host (DNS ${code})`);
  if (code === 'ECONNREFUSED') return new FetchError('refused', `connection refused by ${where}`);
  if (code === 'ECONNRESET' || code === 'EPIPE') return new FetchError('reset', `connection reset by ${where}`);
  if (/^(?:EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN)$/.test(code)) return new FetchError('unreachable', `${where} is unreachable (${code})`);
  if (code === 'ETIMEDOUT') return new FetchError('connect-timeout', `connecting to ${where} timed out`);
  if (/wrong version number|packet length too long|http request/i.test(e.message) || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return new FetchError('plain-http', `${url.host} does not speak TLS (a plain HTTP port?): ${msg}`);
  }
  if (TLS_CODES.test(code) || code === 'EPROTO') return new FetchError('tls', `TLS with ${url.host} failed: ${msg}${code && !msg.includes(code) ? ` (${code})` : ''}`);
  if (code.startsWith('HPE_')) return new FetchError('protocol', `${where} did not answer in HTTP (${code}); a TLS port? try https://`);
  return new FetchError('reset', `the request to ${where} failed: ${msg}${code ? ` (${code})` : ''}`);
}

export const formatMB = (n: number): string => `${Math.round((n / 1048576) * 10) / 10} MB`;
const clean = (s: string): string => stripControls(s);
