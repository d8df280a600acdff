// A real HTTP server on 127.0.0.1 serving a plugin layout from a map of paths (an offline
// intranet plugin server), with the misbehaviours such servers have.
import http from 'node:http';
import { connect, type AddressInfo } from 'node:net';

export type Route = Buffer | { status: number; body?: string; headers?: Record<string, string> } | { redirect: string; status?: number } | { cutAfter: number; body: Buffer } | { hang: true };

export interface PluginServer {
  readonly url: string;
  readonly port: number;
  /** Paths requested, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startPluginServer(routes: Record<string, Route>): Promise<PluginServer> {
  const requests: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push(req.url ?? '/');
    const r = routes[path];
    if (r === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
    } else if (Buffer.isBuffer(r)) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': r.length }).end(r);
    } else if ('redirect' in r) {
      res.writeHead(r.status ?? 302, { location: r.redirect }).end();
    } else if ('cutAfter' in r) {
      // Announce the whole file, send part of it, then drop the connection.
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': r.body.length });
      res.write(r.body.subarray(0, r.cutAfter), () => res.socket?.destroy());
    } else if ('hang' in r) {
      // Never answer (the total timeout must end the request).
    } else {
      res.writeHead(r.status, { 'content-type': 'text/plain', ...r.headers }).end(r.body ?? '');
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A forward HTTP proxy that sends every request to one upstream port on 127.0.0.1: absolute-URI
 * requests (http:// targets) and CONNECT tunnels (https:// targets) alike.
 */
export async function startForwardProxy(upstreamPort: number): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    const u = new URL(req.url ?? '/');
    const up = http.request({ host: '127.0.0.1', port: upstreamPort, path: u.pathname + u.search, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    up.end();
  });
  const tunnels = new Set<import('node:net').Socket>();
  server.on('connect', (req, client: import('node:net').Socket) => {
    seen.push(`CONNECT ${req.url ?? ''}`);
    const up = connect(upstreamPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.pipe(client);
      client.pipe(up);
    });
    tunnels.add(up).add(client);
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of tunnels) t.destroy();
        server.close(() => resolve());
      }),
  };
}
