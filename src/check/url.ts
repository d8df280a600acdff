// `check url`: request a plugin URL the way the gateway's agent does and check what comes back.
import type { CauseId } from '../model.js';
import { stripControls } from '../sanitize.js';
import { causeOf, FetchError, httpGet, type FetchOptions, type FetchResponse } from './http.js';
import { checkModuleBytes, MAX_MODULE_BYTES } from './module.js';
import type { Gateway } from './host-functions.js';
import { displayUrl, type CheckKind, type CheckResult } from './result.js';

export interface CheckContext {
  readonly gateway: Gateway;
  readonly fetch: FetchOptions;
  readonly compileTimeoutMs: number;
  readonly concurrency: number;
}

export async function checkUrl(url: string, plugin: string | null, ctx: CheckContext, kind: CheckKind = 'url', sha256?: string): Promise<CheckResult> {
  const target = displayUrl(url);
  const base = { kind, target, plugin };
  let res: FetchResponse;
  try {
    res = await httpGet(url, { ...ctx.fetch, maxBytes: MAX_MODULE_BYTES });
  } catch (e) {
    if (!(e instanceof FetchError)) throw e;
    const f = fetchFault(e);
    return { ...base, ok: false, severity: 'error', cause: f.cause, title: e.message, remediation: f.remediation, details: { url: target, error: e.kind } };
  }
  const details: Record<string, unknown> = { url: target, status: res.status };
  if (res.redirects.length > 0) details.redirects = res.redirects;
  if (res.proxy) details.proxy = res.proxy;
  const type = res.headers['content-type'];
  if (type) details.contentType = stripControls(String(type)).slice(0, 100);
  // The agent takes 200 only (istio httpfetcher), not any 2xx.
  if (res.status !== 200) {
    const s = statusFault(res.status);
    return { ...base, ok: false, severity: 'error', cause: s.cause, title: `HTTP ${res.status}: ${s.what}`, remediation: s.remediation, details };
  }
  const v = await checkModuleBytes(res.body, { gateway: ctx.gateway, sha256, compileTimeoutMs: ctx.compileTimeoutMs });
  return { ...base, ok: v.severity !== 'error', severity: v.severity, cause: v.cause, title: v.title, remediation: v.remediation, details: { ...details, ...v.details } };
}

/** A status the gateway's agent treats as a failed download (istio httpfetcher: anything but 200). */
export function statusFault(status: number): { cause: CauseId; what: string; remediation: string[] } {
  if (status === 404 || status === 410) {
    return {
      cause: 'wasm-fetch-bad-address',
      what: 'nothing is published at this URL',
      remediation: ['Publish the plugin under exactly this path (name and version), or correct the URL or URL pattern; list what the server has (its folder, or the plugin-server image contents).'],
    };
  }
  if (status === 401 || status === 403) {
    return {
      cause: 'wasm-fetch-auth',
      what: 'the server refuses to hand out the file',
      remediation: ['The gateway fetches plain URLs without credentials: allow anonymous reads from the gateway\'s address, or serve the plugin from a server that does.'],
    };
  }
  if (status >= 500) {
    return { cause: 'wasm-fetch-network', what: 'the server failed to serve the file', remediation: ['Read the plugin server\'s own log for this request; the gateway retries 5xx answers a few times, then gives up.'] };
  }
  const what = status >= 200 && status < 300 ? 'the gateway accepts 200 only' : 'the server does not serve this URL as a file';
  return { cause: 'wasm-fetch-bad-address', what, remediation: ['Check the URL (path, host, port) against what the server publishes.'] };
}

export function fetchFault(e: FetchError): { cause: CauseId; remediation: string[] } {
  const cause = causeOf(e.kind);
  switch (e.kind) {
    case 'refused':
      return { cause, remediation: ['Nothing listens there: start the plugin server or correct the port. Run the check from inside the gateway container: there, localhost is the container itself.'] };
    case 'dns':
      return { cause, remediation: ['The name does not resolve: use a host name the gateway\'s DNS knows (a Docker network alias, a Kubernetes service) or the server\'s IP address.'] };
    case 'unreachable':
    case 'connect-timeout':
    case 'timeout':
      return { cause, remediation: ['Check the route and firewalls between the gateway and the server; run the check from inside the gateway container, where the gateway\'s network applies.'] };
    case 'proxy':
      return { cause, remediation: ['Fix the proxy settings (HTTP_PROXY / HTTPS_PROXY / NO_PROXY) the gateway runs with, or exempt the plugin server with NO_PROXY.'] };
    case 'tls':
      return { cause, remediation: ['The gateway must trust the server\'s certificate: add its CA to the gateway\'s trust store, fix the certificate\'s name, or serve the plugins over plain HTTP on a trusted network.'] };
    case 'plain-http':
      return { cause, remediation: ['The server speaks plain HTTP: use an http:// URL (or put TLS in front of the server).'] };
    case 'too-large':
      return { cause, remediation: ['A plugin module is a few MB: check that the URL names the module, not a bundle or a disk image.'] };
    case 'truncated':
    case 'reset':
      return { cause, remediation: ['The server or something on the way cut the transfer: check the server\'s log, proxies and load balancers in between.'] };
    default:
      return { cause, remediation: ['Correct the URL or URL pattern: it must name the module itself, over http:// or https://.'] };
  }
}
