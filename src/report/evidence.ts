// Evidence as an operator reads it on a terminal (the text report, `tail`): the part of each line
// that proves the diagnosis. The header a layout puts before the message — timestamp, thread,
// level, logger, source path — is what cut the telling part off; it is dropped here, keeping the
// `input:line` and a short time on the report's clock. An access-log entry becomes
// `code flags cluster details`. Lines with the same message fold into one row. Markdown and JSON
// keep the full lines: this is display only, derived from the raw text with the layout parser.
import type { ClockInfo, Evidence } from '../model.js';
import { parseHeader, type Header } from '../parse/layouts.js';
import { Unwrapper } from '../parse/wrappers.js';
import { clockOf, isoIn, parseZone, timeMs, type Zone } from '../diagnose/clock.js';
import { stripControls } from '../sanitize.js';
import { withCommas } from '../words.js';

export interface ShortLine {
  /** `HH:MM:SS` on the report's clock (see shortTime); null when the line carries no time. */
  readonly time: string | null;
  /** The message part, one line (TABs as spaces). */
  readonly text: string;
}

/** One row of evidence: a line, and the later lines whose message reads the same. */
export interface EvidenceRow extends ShortLine {
  readonly input: string;
  readonly line: number;
  /** Other lines with this message, in order. */
  readonly same: readonly Evidence[];
  /** Short time of the last of them. */
  readonly lastTime: string | null;
}

const zones = new Map<string, Zone | null>();
function zoneNamed(name: string): Zone | null {
  let z = zones.get(name);
  if (z === undefined) {
    z = parseZone(name);
    if (zones.size < 16) zones.set(name, z);
  }
  return z;
}

/** The header of a line, also when a collector's wrapper is still on it. */
function headerOf(text: string): { header: Header | null; text: string } {
  const h = parseHeader(text);
  if (h) return { header: h, text };
  const u = new Unwrapper().unwrap(text);
  if (u.text !== null && u.text !== text) return { header: parseHeader(u.text), text: u.text };
  return { header: null, text };
}

/**
 * A line's short time on the report's clock: Envoy's local time as printed when the report is in
 * the container's zone, UTC times converted to it. While Envoy's offset is unknown (`zone` null),
 * UTC times keep a `Z` and local ones stay as printed. Times on no known clock (klog, host logs)
 * are shown as printed.
 */
function shortTime(h: Header, text: string, clock: ClockInfo | undefined): string | null {
  const t = h.time;
  if (t === null) return null;
  const kind = clockOf(h.layout, text);
  const printed = /(\d\d:\d\d:\d\d)/.exec(t)?.[1] ?? null;
  if (kind === null || clock === undefined) return printed;
  const ms = timeMs(t, kind);
  if (Number.isNaN(ms)) return printed;
  if (kind === 'local') return new Date(ms).toISOString().slice(11, 19);
  const zone = clock.zone === null ? null : zoneNamed(clock.zone);
  if (zone === null) return `${new Date(ms).toISOString().slice(11, 19)}Z`;
  return isoIn(ms, zone).slice(11, 19);
}

/** The telling part of one evidence line and its short time. */
export function shortLine(raw: string, clock?: ClockInfo): ShortLine {
  const clean = stripControls(raw);
  const { header: h, text } = headerOf(clean);
  if (!h) return { time: null, text: oneLine(text.trim()) };
  const a = h.access;
  if (a) {
    const parts = [a.code, a.flags, a.cluster, a.details];
    // The transport failure says why the TLS or connect failed; details often carry it already.
    if (a.transportFailure !== '-' && !a.details.includes(a.transportFailure)) parts.push(a.transportFailure);
    return { time: shortTime(h, text, clock), text: oneLine(parts.join(' ')) };
  }
  // Higress escapes the newlines of Wasm VM messages (a trap and its in-VM backtrace) as the two characters `\n`.
  const unescaped = h.logger === 'wasm' && h.message.includes('\\n') ? h.message.replace(/\\n\s*/g, ' ↵ ').replace(/\\t/g, ' ') : h.message;
  const msg = oneLine(unescaped.trim());
  return { time: shortTime(h, text, clock), text: msg === '' ? oneLine(text.trim()) : msg };
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ');

/** Evidence as rows: each line's short form, the later lines of its input with the same message folded into the first. */
export function evidenceRows(evidence: readonly Evidence[], clock?: ClockInfo): EvidenceRow[] {
  const rows: Array<EvidenceRow & { same: Evidence[] }> = [];
  const byText = new Map<string, EvidenceRow & { same: Evidence[] }>();
  for (const e of evidence) {
    const s = shortLine(e.text, clock);
    // Per input: a line after a rotation counts in its own input, and its label says so.
    const key = `${e.input}\n${s.text}`;
    const known = byText.get(key);
    if (known) {
      known.same.push(e);
      (known as { lastTime: string | null }).lastTime = s.time;
      continue;
    }
    const row = { ...s, input: e.input, line: e.line, same: [] as Evidence[], lastTime: s.time };
    byText.set(key, row);
    rows.push(row);
  }
  return rows;
}

/** `56, 57, 72`. */
export function sameLines(row: EvidenceRow): string {
  return row.same.map((e) => String(e.line)).join(', ');
}

const BREAK_AFTER = new Set(['/', '|', ',', ':', ';', '&', '?', '{', '(', '[']);

/**
 * Greedy wrap by code points: the first line `first` wide, the rest `rest` wide, broken at spaces
 * (a longer word is cut, after punctuation when it can be; with `cutWords` false it stands alone on
 * a line, whole). At most `maxLines` lines: then the last says how much was left out.
 */
export function wrapLine(
  text: string,
  first: number,
  rest: number,
  maxLines: number,
  cutWords = true,
  leftOut: (chars: number) => string = (n) => `… ${withCommas(n)} more characters (--format json has the whole line)`,
): string[] {
  const out: string[] = [];
  let line = '';
  let width = Math.max(1, first);
  const len = (s: string): number => [...s].length;
  const push = (): void => {
    out.push(line);
    line = '';
    width = Math.max(1, rest);
  };
  const words = text.split(' ');
  for (let i = 0; i < words.length; i++) {
    let word = words[i]!;
    const sep = line === '' ? '' : ' ';
    if (len(line) + sep.length + len(word) <= width) {
      line += sep + word;
      continue;
    }
    if (line !== '' && (len(word) <= Math.max(1, rest) || !cutWords)) {
      push();
      line = word;
      continue;
    }
    if (!cutWords) {
      // A command or URL stays whole (the terminal folds it; a copy of it still works).
      line = word;
      continue;
    }
    // A word longer than a line: fill this line with its start, carry on with the rest.
    if (line !== '') line += ' ';
    while (len(line) + len(word) > width) {
      const room = width - len(line);
      if (room <= 0) {
        push();
        continue;
      }
      const cps = [...word];
      // Break after punctuation inside the room when there is some past its middle (URLs, JSON, flag lists).
      let cut = room;
      for (let k = room - 1; k >= Math.floor(room / 2); k--) {
        if (BREAK_AFTER.has(cps[k]!)) {
          cut = k + 1;
          break;
        }
      }
      line += cps.slice(0, cut).join('');
      word = cps.slice(cut).join('');
      push();
    }
    line += word;
  }
  if (line !== '' || out.length === 0) out.push(line);
  if (out.length <= maxLines) return out;
  const kept = out.slice(0, Math.max(1, maxLines - 1));
  const left = len(out.slice(kept.length).join(' '));
  kept.push(leftOut(left));
  return kept;
}
