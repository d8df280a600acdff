// `higress-doctor analyze --docker CONTAINER`: the all-in-one container read through the Docker Engine API — its
// own log (`container/stdout`), the files under /var/log/higress (`container/gateway.log`, …), its state as
// classified lines (`container (status)`), and the plugin URL pattern of its environment, judged as `check
// pattern` judges it — merged into one timeline. What cannot be read (no /var/log/higress in an older image, a
// logging driver that keeps no log) is one line on stderr and the rest is still diagnosed.
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DockerEnvironment } from '../model.js';
import { loadRunCatalog } from '../catalog/compiled.js';
import { Pipeline } from '../pipeline.js';
import { Timeline } from '../diagnose/timeline.js';
import { withDockerFacts } from '../diagnose/cluster-facts.js';
import { patternProblem } from '../check/pattern.js';
import { DockerClient, DockerError, readBody } from '../sources/docker-api.js';
import { containerInfo, Demuxer, dockerStatusLines, fileInput, LOG_DIR, logsQuery, spoolTar, STATUS_INPUT, STDOUT_INPUT, type ContainerInfo } from '../sources/docker.js';
import { logsInFolder } from '../sources/open.js';
import { writeReport, type AnalyzeOptions } from './analyze.js';
import { mergeInputs, rotationBase, type MergeStream } from './merge-inputs.js';
import { windowFact, windowOf } from './window.js';

export interface DockerOptions {
  readonly container: string;
  readonly since?: string;
  readonly until?: string;
}

/** The container, inspected; a DockerError (one line) when the daemon cannot be reached or has no such container. */
export async function inspectContainer(client: DockerClient, container: string, signal?: AbortSignal): Promise<ContainerInfo> {
  try {
    return containerInfo(await client.json(`/containers/${encodeURIComponent(container)}/json`, `inspecting container ${container}`, signal));
  } catch (e) {
    if (e instanceof DockerError && e.status === 404) throw new DockerError(`no such container: ${container} (docker ps -a lists them; give a name or an id)`, 404);
    throw e;
  }
}

/** The container's own log into `path` (frames undone, or CR LF made LF for a TTY); a problem line or null. */
export async function spoolContainerLog(client: DockerClient, c: ContainerInfo, path: string, query: string, signal?: AbortSignal): Promise<string | null> {
  const r = await client.get(`/containers/${c.id}/logs?${query}`, signal);
  if (r.status !== 200) {
    const e = client.answerError('reading the container\'s own log', r.status, await readBody(r.body, 4096));
    return `${e.message}${/logging driver|does not support reading/i.test(e.message) ? ' (its logging driver keeps no log the daemon can read: the files under /var/log/higress are still read)' : ''}`;
  }
  const out = createWriteStream(path);
  const closed = new Promise<void>((res, rej) => out.on('close', res).on('error', rej));
  const demux = c.tty ? null : new Demuxer();
  let problem: string | null = null;
  try {
    for await (const chunk of r.body as AsyncIterable<Buffer>) {
      if (demux) demux.push(chunk, (b) => void out.write(Buffer.from(b)));
      else out.write(chunk.includes(13) ? Buffer.from(chunk.toString('latin1').replace(/\r\n/g, '\n'), 'latin1') : chunk);
    }
  } catch (e) {
    problem = signal?.aborted ? null : `the container's own log broke off (${(e as Error).message}); analysed what was read`;
  } finally {
    out.end();
    await closed;
  }
  return problem;
}

/** The files of /var/log/higress into `dir`: their names, or a problem line (an older image has no such folder). */
export async function spoolLogFolder(client: DockerClient, c: ContainerInfo, dir: string, signal?: AbortSignal): Promise<{ files: string[] | null; problem: string | null }> {
  const r = await client.get(`/containers/${c.id}/archive?path=${encodeURIComponent(LOG_DIR)}`, signal);
  if (r.status === 404) {
    await readBody(r.body, 4096);
    return { files: null, problem: `${c.name} has no ${LOG_DIR} (not the all-in-one image, or one older than its supervisord layout): only its own log and state were read` };
  }
  if (r.status !== 200) return { files: null, problem: client.answerError(`reading ${LOG_DIR}`, r.status, await readBody(r.body, 4096)).message };
  try {
    const { files, whole } = await spoolTar(r.body as AsyncIterable<Buffer>, dir);
    return { files, problem: whole ? null : `the archive of ${LOG_DIR} broke off; analysed what was read` };
  } catch (e) {
    return { files: [], problem: `reading ${LOG_DIR}: ${(e as Error).message}` };
  }
}

/** The URL pattern of the container's environment, judged as `check pattern` does. */
export function urlPatternFact(c: ContainerInfo): DockerEnvironment['urlPattern'] {
  if (c.urlPattern === null) return null;
  return { value: c.urlPattern, problem: patternProblem(c.urlPattern)?.title ?? null };
}

export async function analyzeDocker(opts: AnalyzeOptions, d: DockerOptions, signal?: AbortSignal): Promise<number> {
  const window = windowOf(d.since, d.until);
  const client = new DockerClient();
  const [catalog, info] = await Promise.all([loadRunCatalog(opts.patterns), client.connect(signal).then(() => inspectContainer(client, d.container, signal))]);
  const problems: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'higress-doctor-docker-'));
  const timeline = new Timeline(opts.zone ?? null, window);
  // One process per log file of supervisord's; the container's own log and its state are the container's.
  const scopes = new Map<string, string>();
  const pipeline = new Pipeline(catalog, { noPrefilter: opts.noPrefilter, contextLane: true, zone: opts.zone ?? null, scopeOf: (e) => scopes.get(e.input) ?? e.input });
  let interrupted = false;
  let logFiles: string[] | null = null;
  try {
    const stdoutPath = join(dir, 'stdout.log');
    const query = logsQuery({
      ...(window.since !== undefined ? { sinceSec: window.since / 1000 } : {}),
      ...(window.until !== undefined ? { untilSec: window.until / 1000 } : {}),
    });
    const filesDir = join(dir, 'files');
    mkdirSync(filesDir);
    const [logProblem, folder] = await Promise.all([spoolContainerLog(client, info, stdoutPath, query, signal), spoolLogFolder(client, info, filesDir, signal)]);
    if (logProblem) problems.push(logProblem);
    if (folder.problem) problems.push(folder.problem);
    logFiles = folder.files;
    const streams: MergeStream[] = [];
    if (!logProblem || !/answered/.test(logProblem)) streams.push({ scope: 'container', files: [{ name: STDOUT_INPUT, path: stdoutPath }] });
    scopes.set(STDOUT_INPUT, 'container');
    // Each rotated set oldest first, as a folder on disk is read.
    const ordered = folder.files && folder.files.length > 0 ? (await logsInFolder(filesDir)).map((p) => p.slice(filesDir.length + 1)) : [];
    const sets = new Map<string, Array<{ name: string; path: string }>>();
    for (const f of ordered) {
      const base = rotationBase(f);
      scopes.set(fileInput(f), base);
      sets.set(base, [...(sets.get(base) ?? []), { name: fileInput(f), path: join(filesDir, f) }]);
    }
    for (const [scope, files] of sets) streams.push({ scope, files });
    const status = dockerStatusLines(info.state);
    scopes.set(STATUS_INPUT, 'container');
    if (status.length > 0) streams.push({ scope: 'container', name: STATUS_INPUT, lines: status, atMs: info.state.finishedAt ? Date.parse(info.state.finishedAt) : null });
    const r = await mergeInputs(pipeline, timeline, streams, { signal });
    problems.push(...r.failures);
    interrupted = r.interrupted || (signal?.aborted ?? false);
  } finally {
    pipeline.endLanes();
    rmSync(dir, { recursive: true, force: true });
  }
  const docker: DockerEnvironment = {
    container: d.container,
    name: info.name || null,
    id: info.id ? info.id.slice(0, 12) : null,
    image: info.image,
    apiVersion: client.apiVersion,
    state: info.state,
    tty: info.tty,
    logFiles,
    urlPattern: urlPatternFact(info),
    problems,
  };
  const w = windowFact(timeline);
  const snap = pipeline.snapshot();
  const diagnosis = withDockerFacts(w ? { ...snap, environment: { ...snap.environment, window: w } } : snap, docker);
  for (const p of problems) process.stderr.write(`higress-doctor: ${p}\n`);
  const note = timeline.windowNote();
  if (note) process.stderr.write(`higress-doctor: --since/--until ${note}\n`);
  return writeReport(diagnosis, opts, [], interrupted);
}
