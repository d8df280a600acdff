// The reading side of `tail`: follows the file (or stdin) and pushes every chunk through the one Pipeline, as
// fast as it arrives, whatever the screen does. Keeps what the screen needs besides the diagnosis: the source's
// state, rotations, counters and the most recent notable lines. No React here: the text and ndjson outputs use
// it too.
import type { Zone } from '../diagnose/clock.js';
import { basename } from 'node:path';
import type { Catalog } from '../catalog/load.js';
import { LEVEL_RANK, type Level, type LogEvent } from '../model.js';
import { podOfInput } from '../sources/kube.js';
import { Pipeline } from '../pipeline.js';
import { followFile, followStream, type FollowStatus } from '../sources/follow.js';
import { KubeFollower, type FollowerEvents, type FollowerOptions, type StreamEvent, type StreamInfo } from '../sources/kube-follow.js';
import { DockerFollower, type DockerFollowerOptions } from '../sources/docker-follow.js';
import type { Lane } from '../pipeline.js';
import { clock } from './format.js';

/** What the source is doing, as the header shows it. */
export type SourceState = 'starting' | 'following' | 'waiting' | 'ended' | 'failed';

export interface SourceStatus {
  readonly state: SourceState;
  /** Wall-clock ms of the change. */
  readonly at: number;
  readonly detail?: string;
}

/** A rotation (rename or delete + re-create) or a copy-truncate, after which line numbers restart. */
export interface Restart {
  readonly kind: 'rotation' | 'truncation';
  readonly at: number;
  /** The input name evidence uses from then on. */
  readonly input: string;
}

/** One warning/error line (or a line a pattern matched) for the "recent" strip. Raw text: sanitise to show it. */
export interface RecentLine {
  readonly seq: number;
  readonly at: number;
  readonly input: string;
  readonly line: number;
  readonly level: Level | null;
  readonly text: string;
}

export interface TailSessionOptions {
  readonly catalog: Catalog;
  /** File path, or `-` for stdin; with `kube`, what the header shows for the source. */
  readonly path: string;
  /** Follow the pods of a cluster instead of a file (`tail --kube`). */
  readonly kube?: FollowerOptions;
  /** Follow an all-in-one container through the Docker Engine API instead (`tail --docker`). */
  readonly docker?: DockerFollowerOptions;
  /** Last N lines of the existing file to analyse first. */
  readonly backlogLines?: number;
  readonly fromStart?: boolean;
  /** Stream read for `-` (default process.stdin). */
  readonly stdin?: NodeJS.ReadableStream;
  /** Close a record that waits for continuation lines after this much quiet (default 250 ms). */
  readonly idleFlushMs?: number;
  /** How many recent notable lines to keep (default 50). */
  readonly recentMax?: number;
  readonly now?: () => number;
  /** The container's zone (`--tz`); else the log tells it, or not. */
  readonly zone?: Zone | null;
}

/** Stream changes a session keeps (frames carry them; a writer slower than this many changes skips some). */
const STREAM_LOG_MAX = 500;

export class TailSession {
  readonly pipeline: Pipeline;
  /** Evidence name of the first input: the file's name, or `stdin`. */
  readonly name: string;
  readonly path: string;
  readonly isStdin: boolean;
  readonly startedAt: number;
  status: SourceStatus;
  readonly restarts: Restart[] = [];
  /** Bytes pushed into the pipeline so far. */
  bytes = 0;
  /** Byte offset reached in the file being read (null for stdin or when none is open). */
  fileOffset: number | null = null;
  /** Bumped on every change; the store snapshots only when it moved. */
  version = 0;
  /** With `kube`: every container stream's state now (lines counted live), in the order first seen; undefined for a file or stdin. */
  get streams(): StreamInfo[] | undefined {
    return this.opts.kube || this.opts.docker ? (this.follower?.snapshot() ?? []) : undefined;
  }
  private follower: { snapshot(): StreamInfo[] } | null = null;
  /** With `kube`: the latest changes of state of the streams, oldest first (the last STREAM_LOG_MAX). */
  readonly streamLog: StreamEvent[] = [];
  private streamSeq = 0;
  error: Error | null = null;
  private readonly recentRing: RecentLine[] = [];
  private recentSeq = 0;
  private nextInput: string | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private readonly idleFlushMs: number;
  private readonly recentMax: number;

  constructor(private readonly opts: TailSessionOptions) {
    this.now = opts.now ?? Date.now;
    this.path = opts.path;
    this.isStdin = opts.path === '-' && !opts.kube && !opts.docker;
    this.name = opts.kube ? `kube ${opts.kube.target.namespace}` : opts.docker ? `docker ${opts.docker.container}` : this.isStdin ? 'stdin' : basename(opts.path);
    this.startedAt = this.now();
    this.status = { state: 'starting', at: this.startedAt };
    this.idleFlushMs = opts.idleFlushMs ?? 250;
    this.recentMax = opts.recentMax ?? 50;
    this.pipeline = new Pipeline(opts.catalog, {
      // A fleet's pods are separate processes: one's memory signal does not explain another's crash.
      ...(opts.kube ? { scopeOf: (e: LogEvent) => podOfInput(e.input) ?? e.input } : {}),
      // The container's files are processes of their own; its own log and state are the container's.
      ...(opts.docker ? { scopeOf: (e: LogEvent) => (/^container\/(?!stdout$)/.test(e.input) ? e.input.replace(/ #\d+$/, '') : 'container') } : {}),
      zone: opts.zone ?? null,
      // Runs for every event: keep it to a comparison and a push.
      onEvent: (event, matched) => {
        // Warnings and errors, and lines without a level (crash text) a pattern matched: never an info line, matched or not.
        if (event.level === null ? !matched : LEVEL_RANK[event.level] < LEVEL_RANK.warning) return;
        this.recentRing.push({
          seq: ++this.recentSeq,
          at: this.now(),
          input: event.input,
          line: event.line,
          level: event.level,
          text: event.lines[0] ?? event.message,
        });
        if (this.recentRing.length > this.recentMax * 2) this.recentRing.splice(0, this.recentRing.length - this.recentMax);
      },
    });
  }

  /** Lines read across all inputs (rotations included). */
  get lines(): number {
    let n = 0;
    for (const i of this.pipeline.inputs) n += i.lines;
    return n;
  }

  /** The input name evidence currently uses. */
  get input(): string {
    return this.restarts.at(-1)?.input ?? this.name;
  }

  /** The most recent notable lines, oldest first. */
  recent(max = this.recentMax): RecentLine[] {
    return this.recentRing.slice(-max);
  }

  /** Called (synchronously, cheaply) after every change. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Reads until the signal aborts (or stdin ends). Rejects with the source's error (unreadable file, …) after
   * recording it in `status`/`error`. Whatever was read stays in the pipeline either way.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.opts.kube) {
      const kube = this.opts.kube;
      return this.runStreams((events) => new KubeFollower(kube, events), `listing pods (${kube.selectors.join(', ')})`, signal);
    }
    if (this.opts.docker) {
      const docker = this.opts.docker;
      return this.runStreams((events) => new DockerFollower(docker, events), `asking the Docker daemon for ${docker.container}`, signal);
    }
    this.pipeline.beginInput(this.name);
    const stdin = this.opts.stdin ?? process.stdin;
    const source = this.isStdin
      ? followStream(stdin, { signal })
      : followFile(this.path, {
          backlogLines: this.opts.backlogLines ?? 1000,
          fromStart: this.opts.fromStart ?? false,
          signal,
          onStatus: (s) => this.onFollowStatus(s),
          // pipeline.push() copies what it keeps.
          reuseBuffer: true,
        });
    if (this.isStdin) this.setStatus('following', 'reading standard input');
    try {
      for await (const chunk of source) {
        if (this.nextInput !== null) {
          // Everything before the rotation has been pushed: the chunks of the new file get their own input.
          this.pipeline.beginInput(this.nextInput);
          this.nextInput = null;
        }
        this.pipeline.push(chunk);
        this.bytes += chunk.length;
        if (this.fileOffset !== null) this.fileOffset += chunk.length;
        this.armIdleFlush();
        this.touch();
      }
      if (!signal.aborted) this.setStatus('ended', this.isStdin ? 'standard input closed' : 'source ended');
    } catch (e) {
      throw this.fail(e);
    } finally {
      this.stopIdleFlush();
      // Close the last record and an unterminated last line: they count in the final summary.
      this.pipeline.endInput();
      // We own stdin: a pipe whose writer lives on would otherwise keep the process from exiting.
      if (this.isStdin) (stdin as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      this.touch();
    }
  }

  /** `tail --kube` / `--docker`: one lane per stream (and per container status) of the one pipeline. */
  private async runStreams(
    make: (events: FollowerEvents) => { run(signal: AbortSignal): Promise<void>; snapshot(): StreamInfo[] },
    starting: string,
    signal: AbortSignal,
  ): Promise<void> {
    const lanes = new Map<string, Lane>();
    const ended = new Set<string>();
    const laneFor = (input: string): Lane => {
      let lane = lanes.get(input);
      if (!lane) {
        // A name whose input ended already (a pod created again under its name) gets a number.
        let name = input;
        for (let n = 2; ended.has(name); n++) name = `${input} #${n}`;
        lane = this.pipeline.openLane(name);
        lanes.set(input, lane);
      }
      return lane;
    };
    const follower = make({
      onStream: (s) => {
        this.streamLog.push({ ...s, seq: ++this.streamSeq });
        if (this.streamLog.length > STREAM_LOG_MAX * 2) this.streamLog.splice(0, this.streamLog.length - STREAM_LOG_MAX);
        this.summariseStreams();
      },
      onLines: (input, chunk) => {
        laneFor(input).push(chunk);
        this.bytes += chunk.length;
        this.armIdleFlush();
        this.touch();
      },
      onInputEnd: (input) => {
        const lane = lanes.get(input);
        if (!lane) return;
        lane.end();
        lanes.delete(input);
        ended.add(lane.stats.name);
        this.touch();
      },
      onStatus: (input, lines) => {
        const lane = laneFor(input);
        lane.push(Buffer.from(`${lines.join('\n')}\n`));
        // A status is complete as it comes: its records need not wait for the idle flush.
        lane.flush();
        this.touch();
      },
      onListProblem: (message) => {
        this.listProblem = message;
        this.summariseStreams();
      },
    });
    this.follower = follower;
    this.setStatus('starting', starting);
    try {
      await follower.run(signal);
      if (!signal.aborted) this.setStatus('ended', 'source ended');
    } catch (e) {
      throw this.fail(e);
    } finally {
      this.stopIdleFlush();
      this.pipeline.endLanes();
      this.touch();
    }
  }

  /** The source failed: remember and show why; the error to rethrow. */
  private fail(e: unknown): Error {
    this.error = e instanceof Error ? e : new Error(String(e));
    this.setStatus('failed', this.error.message);
    return this.error;
  }

  private stopIdleFlush(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private listProblem: string | null = null;

  /** The source's state from its streams': following while any stream is; the counts as the detail. */
  private summariseStreams(): void {
    const streams = this.streams ?? [];
    const counts = new Map<string, number>();
    for (const s of streams) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
    const detail = [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
    if (this.listProblem && !this.opts.docker) this.setStatus('waiting', `cannot list pods: ${this.listProblem}`);
    else if (streams.length === 0) this.setStatus('waiting', 'no pod matches yet');
    else this.setStatus(counts.has('following') ? 'following' : 'waiting', `${streams.length} stream${streams.length === 1 ? '' : 's'}: ${detail}${this.listProblem ? ` (${this.listProblem})` : ''}`);
  }

  private onFollowStatus(s: FollowStatus): void {
    switch (s.state) {
      case 'following':
        this.fileOffset = s.offset;
        this.setStatus('following', s.detail);
        break;
      case 'waiting':
        this.setStatus('waiting', s.detail);
        break;
      case 'rotated':
      case 'truncated': {
        this.fileOffset = s.offset;
        const kind = s.state === 'rotated' ? 'rotation' : 'truncation';
        const at = s.at.getTime();
        const input = this.uniqueInputName(`${this.name} (after ${clock(at)} ${kind})`);
        this.restarts.push({ kind, at, input });
        this.nextInput = input;
        this.setStatus('following', s.detail);
        break;
      }
      case 'stopped':
        this.fileOffset = null;
        break;
    }
  }

  private uniqueInputName(base: string): string {
    const used = new Set([this.name, ...this.restarts.map((r) => r.input)]);
    if (!used.has(base)) return base;
    for (let n = 2; ; n++) {
      const name = base.replace(/\)$/, ` #${n})`);
      if (!used.has(name)) return name;
    }
  }

  private setStatus(state: SourceState, detail?: string): void {
    this.status = detail === undefined ? { state, at: this.now() } : { state, at: this.now(), detail };
    this.touch();
  }

  private armIdleFlush(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      // A record still waiting for continuation lines after a quiet spell is complete.
      this.pipeline.flush();
      this.touch();
    }, this.idleFlushMs);
  }

  private touch(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }
}
