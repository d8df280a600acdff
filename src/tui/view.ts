// The view-model of the live screen: a pure function of the frames, the operator's UI state and the terminal
// size. Everything the components show is decided here — what is visible, in which order, cut to what width,
// how many lines each pane gets — so the components only lay it out and the layout can be tested without Ink.
// The screen is always exactly `rows - 1` lines high: Ink redraws in place only while its output is shorter
// than the terminal (a taller frame makes it clear the whole screen: flicker).
import type { ClockInfo, Incident, Severity } from '../model.js';
import { severityCount } from '../words.js';
import { evidenceRows, shortLine, wrapLine } from '../report/evidence.js';
import { formatBytes } from '../report/summary.js';
import { stripControls, truncateDisplay } from '../sanitize.js';
import { humanRange, zoneName } from '../report/times.js';
import {
  SEVERITY_COLOR,
  SEVERITY_LABEL,
  clock,
  duration,
  grouped,
  logClock,
  perSecond,
  safeLine,
  sparkline,
  subjectPairs,
  subjectValues,
  shortInputNames,
  wrapWords,
} from './format.js';
import { BUCKET_MS } from './rates.js';
import type { Frame, LiveIncident } from './store.js';
import type { StreamInfo } from '../sources/kube-follow.js';
import { podOfInput } from '../sources/kube.js';
import { atLeast, selectedIndexIn, type UiState } from './ui-state.js';

/** A piece of a line with its style. */
export interface Segment {
  readonly text: string;
  readonly color?: string;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
}

export interface HeaderView {
  readonly width: number;
  readonly line1: readonly Segment[];
  readonly line2: readonly Segment[];
}

export interface ListColumns {
  readonly sel: number;
  readonly mark: number;
  readonly sev: number;
  readonly cause: number;
  /** `tail --kube`: the pods the evidence comes from (0: no such column). */
  readonly pod: number;
  readonly subject: number;
  readonly count: number;
  readonly spark: number;
  readonly last: number;
}

export interface RowView {
  readonly id: string;
  readonly selected: boolean;
  readonly mark: { readonly text: string; readonly tone: 'new' | 'changed' } | null;
  readonly severity: Severity;
  readonly sevLabel: string;
  readonly cause: string;
  /** The pods of the evidence (`x2k4p +1`), with --kube; empty otherwise. */
  readonly pod: string;
  readonly subject: string;
  readonly count: string;
  readonly spark: string;
  readonly last: string;
}

export interface ListView {
  readonly width: number;
  /** Lines including the column header. */
  readonly height: number;
  readonly columns: ListColumns;
  readonly headings: Readonly<Record<keyof ListColumns, string>>;
  readonly rows: readonly RowView[];
  readonly above: number;
  readonly below: number;
  /** Shown when no row is. */
  readonly empty: string | null;
}

export type DetailKind = 'title' | 'meta' | 'text' | 'label' | 'evidence' | 'more';

export interface DetailLine {
  readonly kind: DetailKind;
  readonly text: string;
  /** `input:line` of an evidence line. */
  readonly loc?: string;
}

export interface DetailView {
  readonly width: number;
  /** Lines including the rule at the top. */
  readonly height: number;
  readonly severity: Severity;
  readonly rule: string;
  /** The lines in view (from `scroll` on). */
  readonly lines: readonly DetailLine[];
  /** Index of the first line in view, and how many lines the detail has in all. */
  readonly scroll: number;
  readonly total: number;
}

export interface RecentLineView {
  readonly loc: string;
  readonly text: string;
  readonly level: string | null;
}

export interface RecentStripView {
  readonly width: number;
  readonly height: number;
  readonly rule: string;
  readonly lines: readonly RecentLineView[];
}

/** One container stream of `tail --kube`, as the streams strip shows it. */
export interface StreamLineView {
  readonly mark: string;
  readonly tone: 'good' | 'busy' | 'bad' | 'done';
  readonly text: string;
}

export interface StreamsStripView {
  readonly width: number;
  readonly height: number;
  readonly rule: string;
  readonly lines: readonly StreamLineView[];
}

export interface FooterView {
  readonly width: number;
  readonly segments: readonly Segment[];
}

export interface HelpView {
  readonly width: number;
  readonly height: number;
  readonly rule: string;
  readonly lines: ReadonlyArray<{ readonly keys: string; readonly text: string }>;
}

export interface ScreenView {
  readonly width: number;
  readonly height: number;
  readonly header: HeaderView;
  readonly list: ListView | null;
  readonly detail: DetailView | null;
  readonly help: HelpView | null;
  readonly recent: RecentStripView | null;
  /** `tail --kube`: each stream's state (problems first). */
  readonly streams: StreamsStripView | null;
  readonly footer: FooterView;
  /** Ids listed, in order (what ↑/↓ move through). */
  readonly visibleIds: readonly string[];
  readonly pageSize: number;
  /** Lines the detail pane shows at once and how far it scrolls (0 and 0 when it is closed). */
  readonly detailPageSize: number;
  readonly detailMaxScroll: number;
}

export interface Dims {
  readonly columns: number;
  readonly rows: number;
}

/** How long marks and messages stay. */
export const NEW_MARK_MS = 15_000;
export const CHANGE_MARK_MS = 10_000;
export const MESSAGE_MS = 8_000;
/** A rotation is the header's state this long, then the header goes back to "following". */
export const ROTATION_STATE_MS = 60_000;

export const KEY_HELP: ReadonlyArray<{ keys: string; text: string }> = [
  { keys: '↑/↓  k/j', text: 'select an incident (PgUp/PgDn, g/G: page, first, last)' },
  { keys: 'Enter', text: 'show/hide the detail of the selected incident (Esc hides it)' },
  { keys: 'PgUp/PgDn  K/J', text: 'scroll the detail a page / a line (PgUp/PgDn page the list when it is closed)' },
  { keys: '/', text: 'text filter on cause, title, subject, id, pod (Enter keeps, Esc cancels)' },
  { keys: 's', text: 'minimum severity: all → warning → error → critical → all' },
  { keys: 'p', text: 'pause/resume the screen (reading and diagnosis continue)' },
  { keys: 'e', text: 'export the diagnosis as redacted Markdown into the current folder' },
  { keys: 'c', text: 'clear: show only what happens from now on (counts since the clear)' },
  { keys: '?', text: 'this help (any key closes it)' },
  { keys: '↻ ↧', text: 'in an input name: read after the rotation / truncation at that time (gateway.log↻04:31:23)' },
  { keys: 'q  Ctrl-C', text: 'quit, with a one-line summary' },
];

const rule = (title: string, width: number): string => {
  const head = `─ ${title} `;
  return safeLine(head, width) + '─'.repeat(Math.max(0, width - [...head].length));
};

/** Column widths for a terminal width (with a pod column for `tail --kube`). */
export function listColumns(width: number, pods = false): ListColumns {
  const wide = width >= 120;
  const cause = wide ? 26 : 22;
  const spark = wide ? 18 : 12;
  // One more than `05-20 10:11:12` / `10:11:12`: a UTC time keeps its Z while Envoy's offset is unknown.
  const last = wide ? 15 : 9;
  const pod = pods ? (wide ? 18 : 12) : 0;
  const fixed = { sel: 2, mark: 4, sev: 5, cause, pod, count: 6, spark, last };
  const gaps = 5 + (pods ? 1 : 0);
  const used = fixed.sel + fixed.mark + fixed.sev + fixed.cause + fixed.pod + fixed.count + fixed.spark + fixed.last + gaps;
  return { ...fixed, subject: Math.max(4, width - used) };
}

/** The pods an incident's evidence comes from, in order of appearance. */
export function podsOf(i: Incident): string[] {
  const out: string[] = [];
  for (const e of i.evidence) {
    const p = podOfInput(e.input);
    if (p && !out.includes(p)) out.push(p);
  }
  return out;
}

/** `…6f7c9d8b5-x2k4p +1`: the first pod's name (its end, where pods differ) and how many more, in `width`. */
export function podCell(pods: readonly string[], width: number): string {
  if (pods.length === 0 || width <= 0) return '';
  const more = pods.length > 1 ? ` +${pods.length - 1}` : '';
  const room = Math.max(1, width - more.length);
  const name = pods[0]!;
  return (name.length <= room ? name : `…${name.slice(-(room - 1))}`) + more;
}

/** Incidents the list shows: severity, text filter and clear applied, in the diagnosis' order. */
export function visibleIncidents(frame: Frame, ui: UiState): LiveIncident[] {
  const text = (ui.filterDraft ?? ui.filter).trim().toLowerCase();
  const pods = frame.streams !== undefined;
  return frame.incidents.filter((li) => {
    const i = li.incident;
    if (!atLeast(i.severity, ui.minSeverity)) return false;
    if (ui.cleared && i.count <= (ui.cleared.counts[i.id] ?? 0)) return false;
    if (!text) return true;
    return haystack(i, pods).includes(text);
  });
}

function haystack(i: Incident, pods: boolean): string {
  return [i.cause, i.category, i.title, i.id, ...Object.entries(i.subject).flat(), ...(pods ? podsOf(i) : [])].join('\n').toLowerCase();
}

export interface BuildInput {
  /** The newest frame: the header always shows it (reading goes on while paused). */
  readonly live: Frame;
  /** The frame the panes show: the live one, or the one frozen by `p`. */
  readonly shown: Frame;
  readonly ui: UiState;
  readonly dims: Dims;
  readonly now: number;
}

export function buildScreen({ live, shown, ui, dims, now }: BuildInput): ScreenView {
  const width = Math.max(40, Math.floor(dims.columns || 80));
  const height = Math.max(8, Math.floor(dims.rows || 24) - 1);
  const visible = visibleIncidents(shown, ui);
  const visibleIds = visible.map((v) => v.incident.id);
  const selIndex = selectedIndexIn(ui, visibleIds);
  const selected = selIndex >= 0 ? visible[selIndex]! : null;

  // The recent strip's usual size; it grows into rows the list and the detail leave unused.
  const recentCount = height >= 30 ? 5 : height >= 21 ? 3 : height >= 15 ? 2 : 0;
  const recentMin = recentCount > 0 ? recentCount + 1 : 0;
  const streamList = live.streams ?? [];
  const streamCount = live.streams === undefined || height < 12 ? 0 : Math.max(1, Math.min(streamList.length, height >= 30 ? 6 : height >= 21 ? 4 : 2));
  const streamsHeight = streamCount > 0 ? streamCount + 1 : 0;
  const body = height - 3 - recentMin - streamsHeight;
  const since = ui.cleared?.at ?? -Infinity;
  const recentAvailable = shown.recent.filter((r) => r.at >= since).length;
  const labels = shortInputNames(shown.restarts, shown.source.name);

  let list: ListView | null = null;
  let detail: DetailView | null = null;
  let help: HelpView | null = null;
  let pageSize = Math.max(1, body - 1);
  let recentHeight = recentMin;
  let detailPageSize = 0;
  let detailMaxScroll = 0;
  if (ui.help) {
    help = buildHelp(width, body);
  } else {
    // The list takes the rows it needs (its heading and one per incident); the detail what it holds; the
    // recent strip what is left, up to its lines; the list any rest.
    const listNeeds = 1 + Math.max(1, visible.length);
    let listHeight = Math.min(listNeeds, body);
    let detailHeight = 0;
    let all: DetailLine[] | null = null;
    if (ui.detailOpen && selected) {
      all = detailLines(selected.incident, width, shown.diagnosis.environment.clock, labels);
      // With the detail open the list keeps its heading and up to three rows around the selection.
      const listKeeps = Math.min(listNeeds, 4, Math.max(2, body - 3));
      detailHeight = Math.max(2, Math.min(all.length + 1, body - listKeeps));
      listHeight = Math.min(listNeeds, body - detailHeight);
    }
    let spare = body - listHeight - detailHeight;
    const recentWants = recentAvailable > 0 ? recentAvailable + 1 : recentMin;
    const recentGrows = Math.max(0, Math.min(spare, recentWants - recentMin));
    if (recentMin > 0 || recentGrows >= 2) {
      recentHeight += recentGrows;
      spare -= recentGrows;
    }
    listHeight += spare;
    if (all && selected) {
      detail = sliceDetail(selected.incident, all, width, detailHeight, ui.detailScroll);
      detailPageSize = detailHeight - 1;
      detailMaxScroll = Math.max(0, all.length - detailPageSize);
    }
    pageSize = Math.max(1, listHeight - 1);
    list = buildList(shown, ui, visible, selIndex, width, listHeight);
  }
  const recent = recentHeight > 0 ? buildRecent(shown, ui, width, recentHeight, labels) : null;
  return {
    width,
    height,
    header: buildHeader(live, shown, ui, width, now),
    list,
    detail,
    help,
    recent,
    streams: streamsHeight > 0 ? buildStreams(streamList, width, streamsHeight) : null,
    footer: buildFooter(ui, width, now),
    visibleIds,
    pageSize,
    detailPageSize,
    detailMaxScroll,
  };
}

function stateSegments(f: Frame, now: number): Segment[] {
  const s = f.status;
  const last = f.restarts.at(-1);
  switch (s.state) {
    case 'starting':
      return [{ text: 'starting', dim: true }];
    case 'waiting':
      return [{ text: f.streams ? 'waiting' : 'waiting for file', color: 'yellow', bold: true }, ...(s.detail ? [{ text: ` (${s.detail})`, dim: true }] : [])];
    case 'ended':
      return [{ text: `ended${s.detail ? ` (${s.detail})` : ''}`, color: 'cyan' }];
    case 'failed':
      return [{ text: `failed: ${s.detail ?? 'read error'}`, color: 'red', bold: true }];
    case 'following':
      if (f.streams) {
        const n = f.streams.filter((x) => x.state === 'following').length;
        const troubled = f.streams.filter((x) => x.state === 'reconnecting' || x.state === 'failed' || x.state === 'waiting').length;
        return [
          { text: 'following', color: 'green', bold: true },
          { text: ` ${n}/${f.streams.length} streams` },
          ...(troubled > 0 ? [{ text: ` · ${troubled} not following`, color: 'yellow', bold: true }] : []),
        ];
      }
      if (last && now - last.at < ROTATION_STATE_MS) {
        return [{ text: `${last.kind === 'rotation' ? 'rotated' : 'truncated'} at ${clock(last.at)}`, color: 'yellow', bold: true }];
      }
      return [{ text: 'following', color: 'green', bold: true }];
  }
}

function buildHeader(live: Frame, shown: Frame, ui: UiState, width: number, now: number): HeaderView {
  const sep: Segment = { text: ' · ', dim: true };
  const lag: Segment =
    live.lagBytes === null
      ? { text: 'lag —', dim: true }
      : { text: `lag ${formatBytes(live.lagBytes)}`, ...(live.lagBytes > 1024 * 1024 ? { color: 'yellow', bold: true } : {}) };
  const rest: Segment[] = [sep, ...stateSegments(live, now)];
  if (ui.pausedAt !== null) rest.push(sep, { text: 'PAUSED', color: 'yellow', inverse: true, bold: true });
  rest.push(sep, { text: `${grouped(live.lines)} lines` }, sep, { text: `${perSecond(live.linesPerSecond)} lines/s` });
  // A cluster has no file to be behind of.
  if (!live.streams) rest.push(sep, lag);
  // The state and the counters matter more than the title and the full path: drop those first when narrow.
  const path = live.source.isStdin ? 'stdin' : safeLine(live.source.path, live.streams ? 80 : 60);
  const title: Segment = { text: 'higress-doctor tail', bold: true };
  const candidates: Segment[][] = [
    [title, sep, { text: path }, ...rest],
    [title, sep, { text: safeLine(live.source.name, 40) }, ...rest],
    [{ text: safeLine(live.source.name, 40), bold: true }, ...rest],
  ];
  const len = (segs: Segment[]): number => segs.reduce((n, x) => n + [...x.text].length, 0);
  const line1 = candidates.find((c) => len(c) <= width) ?? candidates[candidates.length - 1]!;

  const counts: Record<Severity, number> = { critical: 0, error: 0, warning: 0, info: 0 };
  for (const li of shown.incidents) counts[li.incident.severity]++;
  const line2: Segment[] = [];
  const sevs = (['critical', 'error', 'warning', 'info'] as const).filter((s) => counts[s] > 0);
  if (sevs.length === 0) line2.push({ text: 'no incidents', dim: true });
  else {
    line2.push({ text: `${shown.incidents.length} incident${shown.incidents.length === 1 ? '' : 's'}: ` });
    sevs.forEach((s, n) => {
      if (n > 0) line2.push({ text: ', ' });
      line2.push({ text: severityCount(counts[s], s), color: SEVERITY_COLOR[s], bold: s === 'critical' });
    });
  }
  const filter = ui.filterDraft ?? ui.filter;
  if (filter) line2.push(sep, { text: `filter "${safeLine(filter, 30)}"`, color: 'cyan' });
  if (ui.minSeverity !== 'info') line2.push(sep, { text: `severity ≥ ${ui.minSeverity}`, color: 'cyan' });
  if (ui.cleared) line2.push(sep, { text: `cleared at ${clock(ui.cleared.at)}`, color: 'cyan' });
  if (ui.pausedAt !== null) {
    line2.push(sep, { text: `paused ${duration(now - ui.pausedAt)}, +${grouped(Math.max(0, live.lines - shown.lines))} lines since`, color: 'yellow' });
  }
  const last = live.restarts.at(-1);
  if (last) {
    const n = live.restarts.length;
    line2.push(sep, { text: `${n} restart${n === 1 ? '' : 's'} of the file (last: ${last.kind} at ${clock(last.at)})`, dim: true });
  }
  line2.push(sep, { text: '? help', dim: true });
  return { width, line1, line2 };
}

function markFor(li: LiveIncident, ui: UiState, at: number): RowView['mark'] {
  if (at - li.firstShownAt < NEW_MARK_MS && (!ui.cleared || li.firstShownAt >= ui.cleared.at)) return { text: 'new', tone: 'new' };
  if (at - li.changedAt < CHANGE_MARK_MS) {
    const n = li.incident.count - li.markBase;
    return { text: n > 0 ? `+${n > 999 ? '999' : n}` : '±', tone: 'changed' };
  }
  return null;
}

function buildList(frame: Frame, ui: UiState, visible: LiveIncident[], sel: number, width: number, height: number): ListView {
  const columns = listColumns(width, frame.streams !== undefined);
  const cap = Math.max(0, height - 1);
  const n = visible.length;
  // When not everything fits, a line at the top and/or bottom says how many rows are out of view.
  let offset = 0;
  let size = Math.min(n, cap);
  if (n > cap && cap >= 3) {
    size = cap - 2;
    offset = Math.max(0, Math.min(sel - Math.floor(size / 2), n - size));
    if (offset === 0) size += 1;
    else if (offset + size === n) {
      size += 1;
      offset -= 1;
    }
  }
  const shown = visible.slice(offset, offset + size);
  const clearedBucket = ui.cleared ? Math.floor(ui.cleared.at / BUCKET_MS) : -Infinity;
  const lastBucket = Math.floor(frame.at / BUCKET_MS);
  const rows = shown.map((li, k): RowView => {
    const i = li.incident;
    const base = ui.cleared ? (ui.cleared.counts[i.id] ?? 0) : 0;
    const buckets = li.buckets.slice(-columns.spark).map((c, j, arr) => (lastBucket - (arr.length - 1 - j) >= clearedBucket ? c : 0));
    return {
      id: i.id,
      selected: offset + k === sel,
      mark: markFor(li, ui, frame.at),
      severity: i.severity,
      sevLabel: SEVERITY_LABEL[i.severity],
      cause: (i.rootOf ? '↳ ' : '') + i.cause,
      pod: columns.pod > 0 ? safeLine(podCell(podsOf(i), columns.pod), columns.pod) : '',
      subject: safeLine(subjectValues(i.subject), columns.subject),
      count: grouped(i.count - base),
      spark: sparkline(buckets),
      last: lastClock(i.lastSeen, columns.last >= 14, frame.diagnosis.environment.clock),
    };
  });
  let empty: string | null = null;
  if (n === 0) {
    const filtered = Boolean((ui.filterDraft ?? ui.filter).trim()) || ui.minSeverity !== 'info';
    if (frame.incidents.length === 0) {
      empty =
        frame.status.state === 'waiting' && frame.streams
          ? `Waiting for the pods of ${frame.source.path}; incidents show here as soon as lines arrive.`
          : frame.status.state === 'waiting'
            ? `Waiting for ${frame.source.path} to appear; incidents show here as soon as lines arrive.`
            : `No incidents yet in ${frame.source.name}: incidents show here as lines arrive.`;
    } else if (ui.cleared && !filtered) empty = `Nothing new since the clear at ${clock(ui.cleared.at)}.`;
    else empty = `No incident matches (${frame.incidents.length} hidden by the filter or minimum severity).`;
  }
  const minutes = Math.round((columns.spark * BUCKET_MS) / 60_000);
  return {
    width,
    height,
    columns,
    headings: {
      sel: '',
      mark: '',
      sev: 'SEV',
      cause: 'CAUSE',
      pod: columns.pod > 0 ? 'POD' : '',
      subject: `SUBJECT${n > 0 ? ` (${n})` : ''}`,
      count: 'COUNT',
      spark: `RATE ${minutes}m`,
      last: columns.last >= 9 ? 'LAST SEEN' : 'LAST',
    },
    rows,
    above: offset,
    below: Math.max(0, n - offset - shown.length),
    empty: empty === null ? null : safeLine(empty, width - 2),
  };
}

/** LAST: on the report's one clock; a UTC time keeps its `Z` while Envoy's offset is unknown. */
function lastClock(time: string | null, withDate: boolean, clock: ClockInfo | undefined): string {
  const t = logClock(time, withDate);
  return clock !== undefined && clock.zone === null && time !== null && time.endsWith('Z') ? `${t}Z` : t;
}

/** The end of a label, which holds the line number: `…ver-404.log:25`. */
function cutStart(s: string, max: number): string {
  const cps = [...s];
  return cps.length <= max ? s : `…${cps.slice(cps.length - Math.max(0, max - 1)).join('')}`;
}

/** Wrapped lines per evidence line in the detail pane. */
const DETAIL_EVIDENCE_LINES = 4;
/** Wrapped lines per remediation step, note and the explanation. */
const DETAIL_PROSE_LINES = 6;

/**
 * Every line of an incident's detail, in order: title, when and which, alternatives, subject, notes, evidence
 * (the message part of each line, wrapped under itself), what to do, why. The pane shows a window of them.
 */
export function detailLines(i: Incident, width: number, clock?: ClockInfo, labels?: ReadonlyMap<string, string>): DetailLine[] {
  const w = width;
  const meta = `${i.cause} (${i.category}) · confidence ${i.confidence.toFixed(2)} · ${i.severity} · seen ${grouped(i.count)}× · ${
    i.firstSeen ? `${humanRange(i.firstSeen, i.lastSeen, clock)}${clock?.zone ? ` ${zoneName(clock.zone)}` : ''}` : 'no timestamp'
  } · id ${i.id}`;
  const lines: DetailLine[] = [
    { kind: 'title', text: safeLine(i.title, w) },
    // When and which: two lines rather than a cut one on a narrow screen.
    ...wrapWords(meta, w, 2).map((text): DetailLine => ({ kind: 'meta', text })),
    {
      kind: 'text',
      text: safeLine(
        `other possible causes: ${i.alternatives.length ? i.alternatives.map((a) => `${a.cause} (${a.confidence.toFixed(2)})`).join(', ') : 'none'}`,
        w,
      ),
    },
  ];
  const subject = subjectPairs(i.subject);
  if (subject) lines.push({ kind: 'text', text: safeLine(`subject: ${subject}`, w) });
  if (i.rootOf) lines.push({ kind: 'text', text: safeLine(`knock-on effect of incident ${i.rootOf}`, w) });
  if (i.crash) {
    const c = i.crash;
    lines.push({ kind: 'text', text: safeLine(`crash: ${c.signal ?? 'signal unknown'}${c.envoyVersion ? ` · Envoy ${c.envoyVersion}` : ''}`, w) });
  }
  for (const note of i.notes) lines.push(...wrapWords(`note: ${note}`, w, DETAIL_PROSE_LINES).map((text): DetailLine => ({ kind: 'text', text })));

  // The message part of each line (report/evidence.ts), wrapped under itself; same messages folded (`+2`).
  lines.push({ kind: 'label', text: 'evidence:' });
  const rows = evidenceRows(i.evidence, clock);
  const locs = rows.map((r) =>
    cutStart(safeLine(`${labels?.get(r.input) ?? r.input}:${r.line}${r.same.length > 0 ? ` +${r.same.length}` : ''}`, 500), Math.max(10, Math.floor(w / 2))),
  );
  const locWidth = Math.max(0, ...locs.map((l) => [...l].length));
  const timeWidth = Math.max(0, ...rows.map((r) => (r.time ?? '').length));
  const textRoom = Math.max(10, w - 4 - locWidth - (timeWidth > 0 ? timeWidth + 2 : 0));
  rows.forEach((r, k) => {
    const parts = wrapLine(r.text, textRoom, textRoom, DETAIL_EVIDENCE_LINES, true, (n) => `… ${grouped(n)} more characters (e exports the whole line)`);
    parts.forEach((p, n) => {
      const time = timeWidth > 0 ? `${(n === 0 ? (r.time ?? '') : '').padEnd(timeWidth)}  ` : '';
      lines.push({ kind: 'evidence', loc: n === 0 ? locs[k]!.padEnd(locWidth) : ' '.repeat(locWidth), text: truncateDisplay(`${time}${p}`, w - 4 - locWidth) });
    });
  });
  lines.push({ kind: 'label', text: 'what to do:' });
  i.remediation.forEach((r, n) => {
    const prefix = `  ${n + 1}. `;
    wrapWords(r, w - prefix.length, DETAIL_PROSE_LINES).forEach((l, k) => lines.push({ kind: 'text', text: (k === 0 ? prefix : ' '.repeat(prefix.length)) + l }));
  });
  lines.push(...wrapWords(`why: ${stripControls(i.explanation)}`, w, DETAIL_PROSE_LINES).map((text): DetailLine => ({ kind: 'text', text })));
  return lines;
}

/** The detail pane `height` lines high (its rule included), showing `all` from line `scroll` on. */
export function sliceDetail(i: Incident, all: readonly DetailLine[], width: number, height: number, scroll: number): DetailView {
  const inner = Math.max(0, height - 1);
  const from = Math.min(Math.max(0, scroll), Math.max(0, all.length - inner));
  const lines = all.slice(from, from + inner);
  const where = all.length > inner ? ` · lines ${from + 1}–${from + lines.length} of ${all.length} · PgUp/PgDn J/K scroll` : '';
  return { width, height, severity: i.severity, rule: rule(`detail (Enter hides)${where}`, width), lines, scroll: from, total: all.length };
}

/** The detail of one incident in a pane `height` lines high, from its first line. */
export function buildDetail(i: Incident, width: number, height: number, clock?: ClockInfo): DetailView {
  return sliceDetail(i, detailLines(i, width, clock), width, height, 0);
}

function buildRecent(frame: Frame, ui: UiState, width: number, height: number, labels?: ReadonlyMap<string, string>): RecentStripView {
  const since = ui.cleared?.at ?? -Infinity;
  const shown = frame.recent.filter((r) => r.at >= since).slice(-(height - 1));
  const locs = shown.map((r) => cutStart(safeLine(`${labels?.get(r.input) ?? r.input}:${r.line}`, 500), Math.max(12, Math.floor(width / 3))));
  // One column for the locations, so the log text lines up; the message part of each line, on the one clock.
  const locWidth = Math.max(0, ...locs.map((l) => [...l].length));
  const clock = frame.diagnosis.environment.clock;
  const lines = shown.map((r, k): RecentLineView => {
    const loc = locs[k]!.padEnd(locWidth);
    const s = shortLine(r.text, clock);
    return { loc, level: r.level, text: safeLine(s.time ? `${s.time}  ${s.text}` : s.text, Math.max(10, width - locWidth - 3)) };
  });
  return { width, height, rule: rule('recent warnings and errors', width), lines };
}

const STREAM_ORDER: Record<StreamInfo['state'], number> = { failed: 0, reconnecting: 1, waiting: 2, queued: 3, connecting: 4, following: 5, ended: 6 };
const STREAM_MARK: Record<StreamInfo['state'], Pick<StreamLineView, 'mark' | 'tone'>> = {
  failed: { mark: '✕', tone: 'bad' },
  reconnecting: { mark: '↻', tone: 'busy' },
  waiting: { mark: '…', tone: 'busy' },
  queued: { mark: '○', tone: 'busy' },
  connecting: { mark: '○', tone: 'busy' },
  following: { mark: '●', tone: 'good' },
  ended: { mark: '■', tone: 'done' },
};

/** Each stream's state, the ones that are not following first: a stream never stops out of sight. */
function buildStreams(streams: readonly StreamInfo[], width: number, height: number): StreamsStripView {
  const counts = new Map<string, number>();
  for (const s of streams) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  const title = streams.length === 0 ? 'streams: no pod matches yet' : `streams: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`;
  const sorted = [...streams].sort((a, b) => STREAM_ORDER[a.state] - STREAM_ORDER[b.state]);
  const room = height - 1;
  const shown = sorted.length > room ? sorted.slice(0, room - 1) : sorted;
  const lines = shown.map((s): StreamLineView => ({
    ...STREAM_MARK[s.state],
    text: safeLine(`${s.input}  ${s.state}${s.detail ? ` (${s.detail})` : ''} · ${grouped(s.lines)} lines`, width - 3),
  }));
  if (shown.length < sorted.length) {
    const rest = sorted.slice(shown.length);
    const states = [...new Set(rest.map((s) => s.state))].join(', ');
    lines.push({ mark: ' ', tone: 'done', text: safeLine(`… ${rest.length} more (${states})`, width - 3) });
  }
  return { width, height, rule: rule(title, width), lines };
}

function buildFooter(ui: UiState, width: number, now: number): FooterView {
  if (ui.filterDraft !== null) {
    return {
      width,
      segments: [
        { text: '/', color: 'cyan', bold: true },
        { text: safeLine(ui.filterDraft, Math.max(10, width - 45)) },
        { text: '█', dim: true },
        { text: '   Enter keep · Esc cancel · Ctrl-U erase', dim: true },
      ],
    };
  }
  if (ui.message && now - ui.message.at < MESSAGE_MS) {
    return { width, segments: [{ text: safeLine(ui.message.text, width - 1), ...(ui.message.tone === 'error' ? { color: 'red', bold: true } : { color: 'green' }) }] };
  }
  const variants = ui.help
    ? ['any key: close help · q quit']
    : [
        '↑↓ select · Enter detail · / filter · s severity · p pause · e export · c clear · ? help · q quit',
        // The header's second line says `? help` too.
        '↑↓ select · ⏎ detail · / filter · s sev · p pause · e export · c clear · q quit',
        '↑↓ ⏎ / s p e c · ? help · q quit',
      ];
  const keys = variants.find((v) => [...v].length <= width - 1) ?? variants[variants.length - 1]!;
  return { width, segments: [{ text: safeLine(keys, width - 1), dim: true }] };
}

function buildHelp(width: number, height: number): HelpView {
  return { width, height, rule: rule('keys', width), lines: KEY_HELP.slice(0, Math.max(0, height - 1)) };
}
