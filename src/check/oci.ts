// `check oci`: resolve a plugin image through the registry API and judge its packaging the way the
// gateway's agent does (istio pkg/wasm/imagefetcher.go, via go-containerregistry), then check the
// module inside. Anonymous, or with --auth / a docker config.json (a pull secret's .dockerconfigjson).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';
import { createHash } from 'node:crypto';
import { stripControls } from '../sanitize.js';
import { ArchiveError, baseName, gunzip } from './archive.js';
import { tarEntries } from '../tar.js';
import { FetchError, formatMB, httpGet, type FetchResponse } from './http.js';
import { checkModuleBytes, MAX_MODULE_BYTES } from './module.js';
import { Fault, isLoopbackHost, UnreadableInput, type CheckResult } from './result.js';
import { fetchFault, statusFault, type CheckContext } from './url.js';

export interface OciRef {
  readonly registry: string;
  readonly repository: string;
  /** Tag or digest. */
  readonly reference: string;
  readonly scheme: 'http' | 'https';
  readonly display: string;
}

export interface OciOptions {
  readonly plainHttp: boolean;
  readonly auth?: { readonly user: string; readonly password: string };
  /** A docker config.json; default $DOCKER_CONFIG/config.json or ~/.docker/config.json. */
  readonly dockerConfig?: string;
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
const WASM_LAYER = 'application/vnd.module.wasm.content.layer.v1+wasm';
const ACCEPT = [OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX, DOCKER_LIST].join(', ');

const REPACKAGE = [
  'Push the plugin the way Higress publishes its own: a layer of type application/vnd.oci.image.layer.v1.tar+gzip (the last one) holding plugin.wasm, e.g. tar -czf plugin.tar.gz plugin.wasm && oras push <ref> plugin.tar.gz:application/vnd.oci.image.layer.v1.tar+gzip.',
  'Offline, serving the extracted plugin.wasm over HTTP avoids the image parser altogether.',
];

/** `oci://host[:port]/repo:tag`, `host/repo@sha256:…`; a one-line fault when it does not parse. */
export function parseOciRef(raw: string, plainHttp: boolean): OciRef {
  const s = raw.trim().replace(/^oci:\/\//i, '');
  const bad = (why: string): Fault => new Fault('wasm-fetch-bad-address', `not an image reference (${why}): ${stripControls(raw).slice(0, 200)}`, ['Write it as oci://<registry>[:port]/<repository>:<tag>, e.g. oci://192.168.1.10:5000/plugins/key-auth:1.0.0.']);
  if (/^[a-z]+:\/\//i.test(s)) throw bad('only oci:// or no scheme');
  const slash = s.indexOf('/');
  if (slash <= 0) throw bad('no registry host: the gateway would look on Docker Hub');
  const registry = s.slice(0, slash);
  // go-containerregistry reads the first part as a registry when it looks like a host.
  // Without one, go-containerregistry (and so the gateway) would look on Docker Hub.
  if (!/[.:]/.test(registry) && registry !== 'localhost') throw bad('no registry host: the gateway would look on Docker Hub; name the registry, e.g. 10.0.0.5:5000/…');
  let rest = s.slice(slash + 1);
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^sha256:[a-f0-9]{64}$/.test(reference)) throw bad('the digest must be sha256: and 64 hex digits');
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
      if (!/^\w[\w.-]{0,127}$/.test(reference)) throw bad('invalid tag');
    }
  }
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(rest)) throw bad('the repository must be lower-case letters, digits and . _ - /');
  const scheme = plainHttp || plainByDefault(registry) ? 'http' : 'https';
  return { registry, repository: rest, reference, scheme, display: `oci://${registry}/${rest}${reference.startsWith('sha256:') ? '@' : ':'}${reference}` };
}

/** Hosts go-containerregistry talks plain HTTP to (name.Registry.Scheme): loopback, .local, RFC 1918. */
function plainByDefault(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (isLoopbackHost(host) || host.endsWith('.local')) return true;
  if (isIP(host) !== 4) return false;
  const [a, b] = host.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

export async function checkOci(raw: string, plugin: string | null, ctx: CheckContext, opts: OciOptions): Promise<CheckResult> {
  let target = stripControls(raw);
  const details: Record<string, unknown> = {};
  try {
    const ref = parseOciRef(raw, opts.plainHttp);
    target = ref.display;
    Object.assign(details, { registry: ref.registry, repository: ref.repository, reference: ref.reference, scheme: ref.scheme });
    const client = new Registry(ref, ctx, opts, details);
    const manifest = await client.manifest();
    const layer = pickLayer(manifest, ctx, details);
    const blob = await client.blob(layer.digest, layer.size);
    const wasm = layer.mediaType === WASM_LAYER ? blob : pluginWasm(blob, details);
    const v = await checkModuleBytes(wasm, { gateway: ctx.gateway, compileTimeoutMs: ctx.compileTimeoutMs });
    return { kind: 'oci', target, plugin, ok: v.severity !== 'error', severity: v.severity, cause: v.cause, title: v.title, remediation: v.remediation, details: { ...details, module: v.details } };
  } catch (e) {
    if (e instanceof FetchError) {
      const f = fetchFault(e);
      return { kind: 'oci', target, plugin, ok: false, severity: 'error', cause: f.cause, title: e.message, remediation: f.remediation, details: { ...details, error: e.kind } };
    }
    if (e instanceof Fault) return { kind: 'oci', target, plugin, ok: false, severity: 'error', cause: e.causeId, title: e.message, remediation: e.remediation, details: { ...details, ...e.details } };
    throw e;
  }
}

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

interface Manifest {
  readonly mediaType: string;
  readonly layers: readonly Descriptor[];
}

/** The registry API for one repository, with the one authorisation dance it may ask for. */
class Registry {
  private authorization: string | null = null;
  private readonly creds: { user: string; password: string } | null;

  constructor(
    private readonly ref: OciRef,
    private readonly ctx: CheckContext,
    opts: OciOptions,
    private readonly details: Record<string, unknown>,
  ) {
    this.creds = opts.auth ?? credentialsFor(ref.registry, opts.dockerConfig, ctx.fetch.env, details);
  }

  private url(path: string): string {
    return `${this.ref.scheme}://${this.ref.registry}/v2/${this.ref.repository}/${path}`;
  }

  private async get(path: string, accept: string | null, maxBytes: number): Promise<FetchResponse> {
    const headers: Record<string, string> = {};
    if (accept) headers.accept = accept;
    const send = (): Promise<FetchResponse> =>
      httpGet(this.url(path), { ...this.ctx.fetch, maxBytes, headers: this.authorization ? { ...headers, authorization: this.authorization } : headers, sensitiveHeaders: ['authorization'] });
    let res = await send();
    if (res.status === 401 && this.authorization === null) {
      this.authorization = await this.authorize(res);
      res = await send();
      if (res.status === 401) throw this.refused(res, 'refused the credentials');
    }
    if (res.status === 401) throw this.refused(res, 'refused the credentials');
    if (res.status === 403) throw this.refused(res, 'denied access');
    return res;
  }

  /** The challenge of a 401: Basic with the credentials, or a Bearer token from the realm. */
  private async authorize(res: FetchResponse): Promise<string> {
    const challenge = String(res.headers['www-authenticate'] ?? '');
    const scheme = /^\s*(\w+)/.exec(challenge)?.[1]?.toLowerCase();
    this.details.auth = scheme ?? 'unknown';
    const basic = this.creds ? `Basic ${Buffer.from(`${this.creds.user}:${this.creds.password}`).toString('base64')}` : null;
    if (scheme === 'basic') {
      if (!basic) throw this.refused(res, 'needs credentials and none were given');
      return basic;
    }
    if (scheme === 'bearer') {
      const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
      if (!params.realm) throw this.refused(res, 'asks for a token without saying where to get it');
      const realm = new URL(params.realm);
      if (params.service) realm.searchParams.set('service', params.service);
      realm.searchParams.set('scope', params.scope ?? `repository:${this.ref.repository}:pull`);
      const tok = await httpGet(realm.href, { ...this.ctx.fetch, maxBytes: 1024 * 1024, headers: basic ? { authorization: basic } : {}, sensitiveHeaders: ['authorization'] });
      if (tok.status === 401 || tok.status === 403) throw this.refused(tok, basic ? 'refused the credentials' : 'needs credentials and none were given');
      let token: string | undefined;
      try {
        const j = JSON.parse(tok.body.toString('utf8')) as { token?: string; access_token?: string };
        token = j.token ?? j.access_token;
      } catch {
        token = undefined;
      }
      if (tok.status !== 200 || !token) throw new Fault('wasm-fetch-auth', `the registry's token service (${realm.host}) answered HTTP ${tok.status} without a token`, []);
      return `Bearer ${token}`;
    }
    throw this.refused(res, `asks for an authorisation scheme this check does not speak (${stripControls(challenge).slice(0, 60)})`);
  }

  private refused(res: FetchResponse, what: string): Fault {
    const code = registryError(res);
    const who = this.creds ? ` (user ${stripControls(this.creds.user)})` : ' (anonymous)';
    return new Fault('wasm-fetch-auth', `HTTP ${res.status}${code ? ` ${code}` : ''}: the registry ${what}${who}`, [
      'Give the gateway a pull secret for this registry (WasmPlugin imagePullSecret, or HIGRESS_ADMIN_WASM_PLUGIN_IMAGE_PULL_SECRET) whose account may pull this repository; check it here with --auth user:password or --docker-config <the secret\'s .dockerconfigjson>.',
    ]);
  }

  async manifest(): Promise<Manifest> {
    let res = await this.get(`manifests/${this.ref.reference}`, ACCEPT, 4 * 1024 * 1024);
    this.notFound(res);
    let m = parseManifest(res);
    if (m.kind === 'index') {
      // As go-containerregistry's desc.Image(): the linux/amd64 child of an index.
      const child = m.manifests.find((d) => d.platform?.os === 'linux' && d.platform?.architecture === 'amd64');
      this.details.index = m.manifests.length;
      if (!child) throw new Fault('wasm-image-format', `an image index with no linux/amd64 image (${m.manifests.length} entries): the gateway picks that platform`, REPACKAGE);
      res = await this.get(`manifests/${child.digest}`, ACCEPT, 4 * 1024 * 1024);
      this.notFound(res);
      m = parseManifest(res);
      if (m.kind === 'index') throw new Fault('wasm-image-format', 'an image index inside an image index', REPACKAGE);
    }
    this.details.manifestMediaType = m.mediaType;
    this.details.layers = m.layers.map((l) => ({ mediaType: l.mediaType, size: l.size }));
    return m;
  }

  private notFound(res: FetchResponse): void {
    if (res.status === 200) return;
    const code = registryError(res);
    if (res.status === 404) {
      const what = code === 'NAME_UNKNOWN'
        ? `no repository ${this.ref.repository} on ${this.ref.registry}`
        : `no ${this.ref.reference.startsWith('sha256:') ? 'manifest' : 'tag'} ${this.ref.reference} in ${this.ref.registry}/${this.ref.repository}`;
      throw new Fault('wasm-fetch-bad-address', `HTTP 404${code ? ` ${code}` : ''}: ${what}`, [
        'Push the plugin under this repository and tag (oras push / oras cp from a connected machine), or correct the reference; oras repo tags <registry>/<repository> lists what is there.',
      ]);
    }
    const s = statusFault(res.status);
    throw new Fault(s.cause, `HTTP ${res.status}${code ? ` ${code}` : ''}: the registry did not return the manifest`, s.remediation);
  }

  async blob(digest: string, size: number): Promise<Buffer> {
    if (size > MAX_MODULE_BYTES) throw new Fault('wasm-image-format', `the plugin layer is ${formatMB(size)}, more than a plugin module may be`, REPACKAGE);
    const res = await this.get(`blobs/${digest}`, null, MAX_MODULE_BYTES);
    if (res.status !== 200) {
      const s = statusFault(res.status);
      throw new Fault(s.cause, `HTTP ${res.status}: the registry did not return layer ${digest.slice(0, 19)}…`, s.remediation);
    }
    const got = `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
    if (digest.startsWith('sha256:') && got !== digest) throw new Fault('wasm-module-corrupt', `layer ${digest.slice(0, 19)}… arrived with another digest (${got.slice(0, 19)}…): damaged in storage or on the way`, ['Push the image again; check proxies between the gateway and the registry.']);
    return res.body;
  }
}

type Parsed = { kind: 'manifest'; mediaType: string; layers: Descriptor[] } | { kind: 'index'; manifests: Array<Descriptor & { platform?: { os?: string; architecture?: string } }> };

function parseManifest(res: FetchResponse): Parsed {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new Fault('wasm-image-format', 'the registry answered with something that is not a JSON manifest', REPACKAGE);
  }
  const header = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
  const mediaType = typeof j.mediaType === 'string' ? j.mediaType : header || OCI_MANIFEST;
  if (mediaType === OCI_INDEX || mediaType === DOCKER_LIST || Array.isArray(j.manifests)) {
    return { kind: 'index', manifests: (Array.isArray(j.manifests) ? j.manifests : []).filter(isDescriptor) as Array<Descriptor & { platform?: { os?: string; architecture?: string } }> };
  }
  if (!Array.isArray(j.layers)) throw new Fault('wasm-image-format', `a manifest (${stripControls(mediaType)}) without layers`, REPACKAGE);
  return { kind: 'manifest', mediaType: stripControls(mediaType), layers: j.layers.filter(isDescriptor).map((l) => ({ mediaType: stripControls(l.mediaType), digest: l.digest, size: l.size })) };
}

function isDescriptor(d: unknown): d is Descriptor {
  const x = d as Descriptor;
  return typeof x === 'object' && x !== null && typeof x.mediaType === 'string' && typeof x.digest === 'string' && /^sha256:[a-f0-9]{64}$/.test(x.digest) && typeof x.size === 'number';
}

/**
 * The layer the gateway reads (istio imagefetcher): Higress 2.x (istio ≥ 1.16) takes the last layer
 * when it is a tar+gzip of the manifest's kind, else exactly two layers one of which is raw Wasm;
 * Higress 1.x (istio 1.12) wants exactly one tar+gzip layer, or the same two-layer artifact.
 */
function pickLayer(m: Manifest, ctx: CheckContext, details: Record<string, unknown>): Descriptor {
  const layers = m.layers;
  const list = layers.length === 0 ? 'no layers' : `${layers.length} layer${layers.length > 1 ? 's' : ''} (${layers.map((l) => l.mediaType).join(', ')})`;
  const tarType = m.mediaType === DOCKER_MANIFEST ? DOCKER_LAYER : OCI_LAYER;
  const newer = ctx.gateway.version[0] >= 2;
  const last = layers[layers.length - 1];
  if (newer ? last?.mediaType === tarType : layers.length === 1 && (last?.mediaType === OCI_LAYER || last?.mediaType === DOCKER_LAYER)) {
    details.layer = { mediaType: last!.mediaType, size: last!.size };
    return last!;
  }
  if (m.mediaType !== DOCKER_MANIFEST && layers.length === 2) {
    const w = layers.find((l) => l.mediaType === WASM_LAYER);
    if (w) {
      details.layer = { mediaType: w.mediaType, size: w.size };
      return w;
    }
  }
  const want = newer
    ? `the gateway wants its last layer to be ${tarType} holding plugin.wasm, or 2 layers one of which is ${WASM_LAYER}`
    : `Higress 1.x wants exactly one ${OCI_LAYER} layer holding plugin.wasm, or 2 layers one of which is ${WASM_LAYER}`;
  throw new Fault('wasm-image-format', `not a Wasm image the gateway accepts: ${list}; ${want}`, REPACKAGE);
}

/** plugin.wasm from a tar+gzip layer: the gateway searches the archive for that base name. */
function pluginWasm(layer: Buffer, details: Record<string, unknown>): Buffer {
  let tar: Buffer;
  try {
    tar = gunzip(layer, MAX_MODULE_BYTES);
  } catch (e) {
    if (e instanceof ArchiveError) throw new Fault('wasm-image-format', `the plugin layer is not a tar+gzip archive: ${e.message}`, REPACKAGE);
    throw e;
  }
  const { entries } = tarEntries(tar);
  const hit = entries.find((e) => e.type === '0' && baseName(e.name) === 'plugin.wasm');
  details.entries = entries.slice(0, 10).map((e) => stripControls(e.name));
  if (!hit) {
    const names = entries.length === 0 ? 'it is empty' : `it holds ${entries.slice(0, 5).map((e) => stripControls(e.name)).join(', ')}${entries.length > 5 ? ', …' : ''}`;
    throw new Fault('wasm-image-format', `plugin.wasm not found in the plugin layer (${names}): the gateway looks for a file of exactly that name`, REPACKAGE);
  }
  return hit.data;
}

/** The error code of a registry's JSON error body (MANIFEST_UNKNOWN, UNAUTHORIZED, …). */
function registryError(res: FetchResponse): string | null {
  try {
    const j = JSON.parse(res.body.toString('utf8')) as { errors?: Array<{ code?: unknown }> };
    const c = j.errors?.[0]?.code;
    return typeof c === 'string' && /^[A-Z_]{1,40}$/.test(c) ? c : null;
  } catch {
    return null;
  }
}

/** Credentials for a registry from a docker config.json (`auths.<host>.auth` or username/password). */
function credentialsFor(registry: string, file: string | undefined, env: NodeJS.ProcessEnv, details: Record<string, unknown>): { user: string; password: string } | null {
  const path = file ?? join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
  let cfg: { auths?: Record<string, { auth?: string; username?: string; password?: string }>; credsStore?: string };
  try {
    cfg = JSON.parse(readFileSync(path, 'utf8')) as typeof cfg;
  } catch (e) {
    if (file !== undefined) throw new UnreadableInput(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : ((e as NodeJS.ErrnoException).code ?? 'not JSON').toLowerCase()}`);
    return null;
  }
  const norm = (k: string): string => k.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  const entry = Object.entries(cfg.auths ?? {}).find(([k]) => norm(k) === registry.toLowerCase())?.[1];
  if (!entry) {
    if (cfg.credsStore) details.credentials = `kept by the credential helper ${stripControls(cfg.credsStore)}: give them with --auth`;
    return null;
  }
  details.credentials = file !== undefined ? 'from --docker-config' : 'from the docker config.json';
  if (entry.auth) {
    const plain = Buffer.from(entry.auth, 'base64').toString('utf8');
    const i = plain.indexOf(':');
    if (i > 0) return { user: plain.slice(0, i), password: plain.slice(i + 1) };
  }
  if (entry.username && entry.password) return { user: entry.username, password: entry.password };
  return null;
}


