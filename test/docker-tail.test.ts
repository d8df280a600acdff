// `tail --docker --format ndjson` against the Engine API stand-in on a unix socket while the test changes the
// container: its own log grows (the follow stream), gateway.log grows (the poll of /var/log/higress) and is rotated,
// the stream is cut and reconnected, and the container is OOM-killed (its state becomes an incident, the streams end).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerStandIn } from '../bench/docker-stand-in.js';
import { ROOT } from './helpers/cli.js';
import { LineReader } from './helpers/tmux-proc.js';
import { ensureBuilt } from './helpers/tmux.js';

type Obj = Record<string, unknown> & { type: string };
interface Ev {
  input: string;
  line: number;
  text: string;
}

const URL = 'http://192.168.10.20:8080/plugin.wasm';
const fetch404 = (): string =>
  `${new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')}\terror\twasm\tcannot fetch Wasm module ${URL}: wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404`;

let dir: string;
let api: DockerStandIn;

describe('tail --docker --format ndjson', () => {
  beforeAll(async () => {
    ensureBuilt(ROOT);
    dir = mkdtempSync(join(tmpdir(), 'hd-docker-tail-'));
    api = await DockerStandIn.start({ fixture: join(ROOT, 'test/fixtures/docker/all-in-one'), socket: join(dir, 'docker.sock') });
  }, 180_000);
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows the container log and the files, through a rotation, until the container is OOM-killed', async () => {
    api.run();
    const r = new LineReader(ROOT, ['tail', '--docker', 'higress-ai', '--format', 'ndjson', '--docker-poll', '100', '-n', '5'], { env: { ...process.env, DOCKER_HOST: `unix://${api.socket}` } });
    const all = (): Obj[] => r.json() as Obj[];
    const stateOf = (input: string): unknown => all().filter((o) => o.type === 'status' && o.input === input).at(-1)?.state;
    const incident = (cause: string): (Obj & { count: number; evidence: Ev[] }) | undefined =>
      all().filter((o) => o.type === 'incident' && o.cause === cause).at(-1) as (Obj & { count: number; evidence: Ev[] }) | undefined;
    try {
      await r.waitFor(() => stateOf('container/stdout') === 'following' && stateOf('container/gateway.log') === 'following', 'both kinds of stream followed');
      expect(stateOf('container/controller.log')).toBe('following');

      // gateway.log grows: read by the next poll, tagged with its file, only the new bytes.
      const line = fetch404();
      api.append('gateway.log', line);
      await r.waitFor(() => incident('wasm-fetch-bad-address')?.evidence.some((e) => e.input === 'container/gateway.log' && e.text === line) === true, 'the appended fetch failure');
      expect(incident('wasm-fetch-bad-address')!.count).toBe(1);

      // The container's own log grows on its follow stream.
      api.log(`${new Date().toISOString().replace('T', ' ').slice(0, 19)},000 INFO exited: gateway (exit status 0; expected)`);
      await r.waitFor(() => all().some((o) => o.type === 'incident' && (o.evidence as Ev[]).some((e) => e.input === 'container/stdout')), 'a line of the container log');

      // supervisord rotates gateway.log: the new file is read from its start.
      api.rotate('gateway.log');
      const after = fetch404();
      api.append('gateway.log', after);
      await r.waitFor(() => incident('wasm-fetch-bad-address')!.evidence.some((e) => e.text === after), 'the first line after the rotation');
      expect(incident('wasm-fetch-bad-address')!.count).toBe(2);

      // OOM-killed: the state is an incident, the streams end and say why.
      api.stop(137, true);
      await r.waitFor(() => incident('oom') !== undefined, 'the OOM kill');
      expect(incident('oom')!.evidence.map((e) => e.input)).toContain('container (status)');
      await r.waitFor(() => stateOf('container/stdout') === 'ended' && stateOf('container/gateway.log') === 'ended', 'the streams ended');

      // Every stream ended: tail ends by itself, as `docker logs -f` does — exit 0 after its summary. (A SIGTERM
      // sent at once raced that exit: a process past its 'exit' event dies of the signal's default action.)
      const ended = await Promise.race([r.exited, new Promise<'running'>((res) => setTimeout(() => res('running'), 10_000))]);
      if (ended === 'running') r.child.kill('SIGTERM');
      expect(await r.exited).toBe(0);
      expect(all().at(-1)!.type).toBe('summary');
      expect(r.errLines.join('\n')).toBe('');
    } finally {
      r.child.kill('SIGKILL');
    }
  }, 60_000);

  it('no such container: exit 2 with one line', async () => {
    const r = new LineReader(ROOT, ['tail', '--docker', 'nope', '--format', 'ndjson'], { env: { ...process.env, DOCKER_HOST: `unix://${api.socket}` } });
    expect(await r.exited).toBe(2);
    expect(r.errLines.filter(Boolean)).toEqual([expect.stringMatching(/^higress-doctor: no such container: nope/)]);
  }, 30_000);
});
