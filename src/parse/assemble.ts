// Lines → records → events. A record is a header line plus its continuation lines; an event is a
// record, or several records that belong together (an Envoy crash block, a Go panic that a Wasm
// plugin wrote one token per log record). Every block has an end rule and a size budget, so a
// missing terminator can never swallow the rest of the log.
import type { LayoutId, Level, LogEvent, Stats, WrapperId } from '../model.js';
import { LEVEL_RANK } from '../model.js';
import type { LineSink } from '../lines/scanner.js';
import { makeHeader, parseHeader, parseKube, stripPasteArtifacts, type Header } from './layouts.js';
import { jsonEnvelope, Unwrapper } from './wrappers.js';
import { hitsFrom } from '../lines/literal-hits.js';
import { MAX_BLOCK_RECORDS } from '../limits.js';

/** Continuation lines a record may take before it is closed. */
export const MAX_RECORD_LINES = 1000;
/** Physical lines kept per event for evidence and matching (the rest are counted, not kept). */
export const MAX_EVENT_LINES = 200;

interface OpenRecord {
  header: Header;
  wrapper: WrapperId | null;
  line: number;
  endLine: number;
  /** Physical lines (unwrapped). */
  lines: string[];
  /** Message lines: the header's message, then continuation lines. */
  msg: string[];
  /** Physical line number of each message line. */
  msgLine: number[];
  taken: number;
  closed: boolean;
  /** A skipped (prefiltered) record: continuation lines are counted and dropped. */
  skipped: boolean;
  /** Ids of the literals that may be in the message, while it is the message of its one line. */
  hits: number[] | null;
}

/** A terminal's control sequence (CSI: colours, cursor moves) — ECMA-48's shape, as report/sanitize.ts reads it. */
const TERMINAL_CONTROL = /\x1b\[[0-?]*[ -/]*[@-~]/g;

export interface EventSink {
  (event: LogEvent): void;
}

/** What assemblers of inputs read side by side share (pipeline lanes): the counters and the event sequence. */
export interface SharedCounts {
  readonly stats: Stats;
  readonly sequence: { seq: number };
}

/**
 * Receives lines (via the LineSink interface) for one input at a time and emits events.
 * `flush()` closes whatever is open (end of input, or an idle timer in `tail`).
 */
export class Assembler implements LineSink {
  readonly stats: Stats;
  private readonly sequence: { seq: number };
  private input = '';
  private unwrapper = new Unwrapper();
  private open: OpenRecord | null = null;
  private block: Block | null = null;
  /** Spaces peeled from every line of a paste indented as a whole (take()); 0: none. */
  private indent = 0;
  /** A JSON object printed over lines was read as a record: a `{` alone opens the next one, it continues no record. */
  private prettyRecords = false;
  /**
   * The record open when such a `{` came: the line the object holds may continue it (a log store's record per line of a
   * crash block's frames), so it waits, unclosed, until the object is read (replaceWithLine) or is not a record.
   */
  private held: OpenRecord | null = null;
  /**
   * A terminal's hard wrap (docs/formats.md §W22): the width a paste was broken at, once learnt (0: not yet); the length
   * of the line before, when it stands in a record that may be joined (0: it does not); the longest such line so far;
   * and a length an unread line already followed once.
   */
  private wrapWidth = 0;
  private prevLength = 0;
  private longest = 0;
  private wrapCandidate = 0;
  /** The line before this one, and the one whose length became the candidate width. */
  private prevText = '';
  private candidateText = '';
  /** Whether take() last found a header (a layout read the line). */
  private lastWasHeader = false;
  /**
   * A record that took, for one line, the line after it as the second piece of a hard-wrapped line (§W22): the next
   * line confirms it (a third piece, joinWrapped) or it is undone (untangle) before anything else is read.
   */
  private tentative: OpenRecord | null = null;
  private untangling = false;

  constructor(
    private readonly emit: EventSink,
    shared?: SharedCounts,
  ) {
    this.stats = shared?.stats ?? { lines: 0, events: 0, unparsed: 0, cutLines: 0, layouts: {} };
    this.sequence = shared?.sequence ?? { seq: 0 };
  }

  /** The counters and sequence another assembler needs to count into this one's. */
  get shared(): SharedCounts {
    return { stats: this.stats, sequence: this.sequence };
  }

  /** Start a new input: open records never span inputs. */
  beginInput(name: string): void {
    this.flush();
    this.input = name;
    this.unwrapper = new Unwrapper();
    this.indent = 0;
    this.prettyRecords = false;
    this.held = null;
    this.wrapWidth = this.prevLength = this.longest = this.wrapCandidate = 0;
    this.prevText = this.candidateText = '';
    this.tentative = null;
  }

  skip(_number: number, layout: LayoutId): void {
    this.skipRun(_number, 1, layout);
  }

  /** `count` skipped lines of one layout: the same as skip() for each, in one step. */
  skipRun(_first: number, count: number, layout: LayoutId): void {
    this.stats.lines += count;
    this.prevLength = 0;
    this.stats.layouts[layout] = (this.stats.layouts[layout] ?? 0) + count;
    if (layout === 'unknown') this.stats.unparsed += count;
    this.closeRecord();
    // Continuation lines after a skipped header belong to it and are dropped with it. This runs
    // for most lines of a big log: it allocates nothing.
    this.open = this.skipped;
    this.skipped.taken = 0;
    this.skipped.closed = layout === 'access-json' || layout === 'access-text' || layout === 'istio-json';
  }

  /** The one record object that stands for "inside a skipped record". */
  private readonly skipped: OpenRecord = {
    header: SKIPPED,
    wrapper: null,
    line: 0,
    endLine: 0,
    lines: [],
    msg: [],
    msgLine: [],
    taken: 0,
    closed: false,
    skipped: true,
    hits: null,
  };

  line(raw: string, number: number, cut: number, hits?: Int32Array): void {
    this.stats.lines++;
    if (cut > 0) this.stats.cutLines++;
    // Colours a terminal tool wrote into the file (`docker compose logs` or stern run under `script`, a logger
    // that colours its level) are not the line's text: without them its wrapper and header are read as usual.
    const u = this.unwrapper.unwrap(raw.indexOf('\x1b[') < 0 ? raw : raw.replace(TERMINAL_CONTROL, ''));
    if (u.text === null) {
      // A partial piece: it is part of the next line, and parsed with it.
      return;
    }
    const text = u.text;
    const prev = this.prevLength;
    // A terminal's hard wrap: the rest of a line the width cut, joined back (§W22). Only lengths checked here, until the
    // width is learnt or a length repeats.
    const open = this.open;
    const width = this.wrapWidth || this.wrapCandidate || (open !== null && open.taken >= 1 && open.lines.length > 0 ? open.lines[0]!.length : 0);
    // A line the reader cut at its longest (cut > 0) is no piece of a terminal's: all such lines are one length.
    if (cut === 0 && prev >= MIN_WRAP_WIDTH && prev === width && prev >= this.longest && !this.sameLineAgain() && this.joinWrapped(text, number)) return;
    // Hits are positions in the raw line: they hold for the text only when nothing was peeled off.
    this.take(text, u.wrapper, number, u.text === raw ? hits : undefined);
    if (cut > 0) {
      this.prevLength = 0;
      return;
    }
    this.noteLength(text, prev);
  }

  /**
   * After a line is taken: a line no layout read, unindented, after the longest line so far makes that length a candidate
   * width; the line's own length is kept when its record could be joined to (one a prefilter never skips: not below
   * warning, so both paths learn and join alike).
   */
  private noteLength(text: string, prev: number): void {
    // (A cut line's last piece is shorter than the width: a log of lines all as long as each other teaches nothing.)
    if (this.wrapWidth === 0 && !this.lastWasHeader && prev >= MIN_WRAP_WIDTH && prev >= this.longest && text.length < prev && restOfALine(text)) {
      this.wrapCandidate = prev;
      this.candidateText = this.prevText;
    }
    if (prev > this.longest) this.longest = prev;
    this.prevLength = joinable(this.open) ? text.length : 0;
    this.prevText = text;
  }

  /**
   * The line before is the one that made the width a candidate, again but for its digits (a log repeats a line — a
   * rejected config and its proto dump after it, every time it is pushed): a repeated line is no second sight of a
   * terminal's width, and its next line no rest of it.
   */
  private sameLineAgain(): boolean {
    if (this.wrapWidth !== 0 || this.candidateText === '') return false;
    const a = this.prevText;
    const b = this.candidateText;
    return a.length === b.length && a.replace(/\d/g, '') === b.replace(/\d/g, '');
  }

  /**
   * Whether the line after a one-line record may be the second piece of its line, cut by a terminal whose width is not
   * learnt yet: the record's line is the longest so far and as long as the line before was, and this one no layout
   * reads (§W22). Taken for one line: a third piece proves the width.
   */
  private mayBeFirstCut(open: OpenRecord, text: string): boolean {
    const width = this.prevLength;
    return (
      !this.untangling &&
      this.wrapWidth === 0 && width >= MIN_WRAP_WIDTH && width >= this.longest && text.length <= width && open.taken === 0 && joinable(open) && open.lines[0]!.length === width && restOfALine(text)
    );
  }

  /** The tentative second piece was a line of its own after all: it leaves the record and is read as any line. */
  private untangle(): void {
    const r = this.tentative!;
    this.tentative = null;
    if (this.open !== r || r.taken === 0) return;
    const rest = r.lines.splice(1);
    r.msg.splice(1);
    const numbers = r.msgLine.splice(1);
    if (r.header.layout === 'unknown') this.stats.unparsed -= r.taken;
    r.taken = 0;
    r.endLine = r.line;
    // Read again as they were read before: none of them is taken for a piece again.
    this.untangling = true;
    for (let i = 0; i < rest.length; i++) this.take(rest[i]!, r.wrapper, numbers[i]!);
    this.untangling = false;
  }

  /**
   * The rest of a hard-wrapped line, joined to the open record's last line when no layout reads it: a record of one line
   * is read again as the whole line (its header may be the whole line's only: a JSON record), a longer one gets the rest
   * on its last line. False: the line is no rest.
   */
  private joinWrapped(text: string, number: number): boolean {
    const open = this.open;
    // The cut may fall before a space (` via the runtime key …`): one space may lead the rest, a TAB never (a bullet's).
    // A rest is never longer than the width, and the piece that teaches the width is a last piece, shorter.
    const width = this.prevLength;
    if (!joinable(open) || text.length > width || !restOfALine(text) || parseHeader(text) !== null) return false;
    if (this.wrapWidth === 0 && text.length === width) {
      // Another piece as long, of a line cut three times or more: taken with the tentative ones, up to a bound.
      if (this.tentative !== open || open.taken >= MAX_TENTATIVE_PIECES) return false;
      this.continueRecord(open, text, number);
      this.noteLength(text, 0);
      return true;
    }
    // Learning the width now, at a line's last piece: the pieces before it were taken as the record's continuations
    // (tentatively, or as an Envoy record takes any line), each as long as its first line — the whole line is read again.
    const pieces = this.wrapWidth === 0 && open.taken >= 1 && open.lines.every((l) => l.length === width);
    if (this.tentative === open) this.tentative = null;
    this.wrapWidth = width;
    if (open.taken === 0 || pieces) {
      const layout = open.header.layout;
      const n = (this.stats.layouts[layout] ?? 1) - 1;
      if (n > 0) this.stats.layouts[layout] = n;
      else delete this.stats.layouts[layout];
      if (layout === 'unknown') this.stats.unparsed -= open.taken + 1;
      this.open = null;
      this.take(open.lines.join('') + text, open.wrapper, open.line);
    } else {
      const last = open.lines.length - 1;
      const joined = open.lines[last]! + text;
      if (parseHeader(joined) !== null) {
        // The cut was a line of its own, whose first piece no layout read (an access line's): it leaves the record.
        open.lines.pop();
        open.msg.pop();
        open.msgLine.pop();
        open.taken--;
        if (open.header.layout === 'unknown') this.stats.unparsed--;
        this.take(joined, open.wrapper, number - 1);
      } else {
        open.lines[last] = joined;
        open.msg[last] += text;
        open.hits = null;
        open.endLine = number;
      }
    }
    this.noteLength(text, 0);
    return true;
  }

  private take(textIn: string, wrapper: WrapperId | null, number: number, hits?: Int32Array): void {
    if (this.tentative !== null) this.untangle();
    let text = textIn;
    if (this.indent > 0) {
      // Inside a paste indented as a whole: its indentation is peeled while lines have it, so a crash block's frames,
      // a heap dump's own leading spaces and a multi-error bullet's TAB are what they were before it was indented.
      if (leadingSpaces(text) >= this.indent) {
        text = text.slice(this.indent);
        hits = undefined;
      } else if (text.trim() !== '') this.indent = 0;
    }
    let header = parseHeader(text);
    this.lastWasHeader = header !== null;
    if (!header && text.charCodeAt(0) === 123) {
      // A collector's or log store's JSON record around the line (docs/formats.md §W11): the line is read as if bare.
      const inner = jsonEnvelope(text);
      if (inner !== null) {
        // The line inside may carry a paste's wrappers of its own (a quote, a table row).
        const u = this.unwrapper.unwrap(inner);
        if (u.text !== null) this.take(u.text, wrapper ?? 'json-envelope', number);
        return;
      }
    }
    if (!header) {
      // A pasted log: `> [2026-…][critical][backtrace] …`, a line wrapped in backticks, a code
      // block indented by spaces. Accept the bare line only when it is a full header.
      const bare = stripPasteArtifacts(text);
      if (bare !== text) {
        const h = parseHeader(bare);
        // Any layout when no open record could take the line as its continuation (the paste's first line: V8's `#`
        // lines, a logfmt or zap line, the start script); else only a full header.
        if (h && (PASTE_LAYOUTS.has(h.layout) || !this.mayContinue())) {
          header = h;
          // Spaces alone before a full header: a paste indented as a whole (a markdown code block, a log under a
          // list item) — the lines after it lose the same indentation (above).
          const spaces = leadingSpaces(text);
          if (spaces >= 2 && spaces <= MAX_PASTE_INDENT && /^ *(?:\*\*|__)?$/.test(text.slice(0, text.length - bare.length))) this.indent += spaces;
          text = bare;
          hits = undefined;
        }
      }
    }
    // (Not inside a JSON object printed over lines: a member's string may hold a whole log line, header and all.)
    if (!header && text.length > 40 && !this.inPrettyJson()) {
      // Output written without a newline runs into the next log line (`…unmapped:    [2021-02-08
      // 09:50:06.888][9][critical][backtrace] … Caught Aborted`): the header starts a record of its own.
      const at = embeddedHeaderAt(text);
      if (at > 0) {
        this.take(text.slice(0, at), wrapper, number);
        this.take(text.slice(at), wrapper, number);
        return;
      }
    }
    const open = this.open;
    if (header) {
      // Consecutive raw lines of one block (a Go panic's goroutine dump, V8's `#` lines) stay together.
      if (
        open &&
        !open.closed &&
        header.rawKind !== undefined &&
        open.header.rawKind === header.rawKind &&
        (header.rawKind === 'go-panic' || header.rawKind === 'v8')
      ) {
        this.continueRecord(open, text, number);
        return;
      }
      this.count(header.layout);
      this.closeRecord();
      this.open = {
        header,
        wrapper,
        line: number,
        endLine: number,
        lines: [text],
        msg: [header.message],
        msgLine: [number],
        taken: 0,
        closed: header.closed,
        skipped: false,
        hits: hits === undefined ? null : messageHits(hits, text, header),
      };
      return;
    }
    if (open && text.charCodeAt(text.length - 1) !== 123 && this.foldPrettyJson(open, text, wrapper, number)) return;
    if (open && this.prettyRecords && this.held === null && text.charCodeAt(text.length - 1) === 123 && text.trim() === '{') {
      this.held = open;
      this.open = null;
    } else if (
      open &&
      !open.closed &&
      open.taken < MAX_RECORD_LINES &&
      (FREE_CONTINUATION.has(open.header.layout) || (isIndentedOrBlank(text) && !timedLineOfAPaste(open, text) && !siblingOfAnIndentedLine(open, text)) || javaContinuation(open, text) || rawContinuation(open, text))
    ) {
      this.continueRecord(open, text, number);
      return;
    }
    // Kubernetes' pod status pasted beside the log; else nothing explains this line: it is an
    // unknown record of its own (counted as unparsed).
    const kube = parseKube(text);
    if (kube === null && open !== null && this.mayBeFirstCut(open, text)) {
      this.continueRecord(open, text, number);
      this.tentative = open;
      return;
    }
    this.count(kube ? 'kube' : 'unknown');
    this.closeRecord();
    this.open = {
      header: kube ?? makeHeader('unknown', null, guessLevel(text), null, null, text, false),
      wrapper,
      line: number,
      endLine: number,
      lines: [text],
      msg: [text],
      msgLine: [number],
      taken: 0,
      closed: false,
      skipped: false,
      hits: hits === undefined ? null : hitsFrom(hits, 0),
    };
  }

  /**
   * The closing brace of a JSON object printed over several lines (`jq .`, a log viewer's JSON view): the object is
   * read as its one line when it is a record (prettyJsonRecord). False: nothing done, the brace is read as any line.
   */
  private foldPrettyJson(open: OpenRecord, text: string, wrapper: WrapperId | null, number: number): boolean {
    if (!/^\s*\}\s*,?\s*$/.test(text) || leadingSpaces(text) !== leadingSpaces(open.lines[0] ?? '')) return false;
    const compact = prettyJsonRecord(open, text);
    if (compact === null) return false;
    this.replaceWithLine(open, compact, wrapper);
    if (this.open !== null) (this.open as OpenRecord).endLine = number;
    return true;
  }

  /** An unknown record that was a JSON object's lines is read as the one line `compact`, at its first line. */
  private replaceWithLine(open: OpenRecord, compact: string, wrapper: WrapperId | null): void {
    // Its lines were counted as an unknown record (take, continueRecord): they are the one record made here now.
    const unknown = (this.stats.layouts.unknown ?? 0) - 1;
    if (unknown > 0) this.stats.layouts.unknown = unknown;
    else delete this.stats.layouts.unknown;
    this.stats.unparsed -= open.taken + 1;
    this.open = this.held;
    this.held = null;
    this.prettyRecords = true;
    this.take(compact, wrapper, open.line);
  }

  /** Whether the open record is a JSON object printed over lines, so far (its `{` alone on its first line). */
  private inPrettyJson(): boolean {
    const open = this.open;
    return open !== null && open.header.layout === 'unknown' && !open.closed && open.lines[0]?.trim() === '{';
  }

  /** Whether an open record could take a line as its continuation: one of blank lines only takes none. */
  private mayContinue(): boolean {
    const open = this.open;
    if (open === null || open.closed) return false;
    if (open.header.layout !== 'unknown') return true;
    // Blank lines, or a debugger's prompt above the frames it printed (`(gdb) bt`): nothing a line after it continues.
    return !open.lines.every((l) => l.trim() === '' || DEBUGGER_PROMPT.test(l));
  }

  private continueRecord(open: OpenRecord, text: string, number: number): void {
    open.taken++;
    if (open.skipped) return;
    open.hits = null;
    open.endLine = number;
    if (open.header.layout === 'unknown') this.stats.unparsed++;
    // L2 ends its record with `\tthread=N` on the last physical line.
    let msgText = text;
    if (open.header.layout === 'envoy-istio') {
      const t = /(?:^|\t| {2,})thread=(\d+)[\t ]*$/.exec(text);
      if (t) {
        msgText = text.slice(0, t.index);
        open.closed = true;
      }
    }
    if (open.lines.length < MAX_EVENT_LINES) {
      open.lines.push(text);
      open.msg.push(msgText);
      open.msgLine.push(number);
    }
  }

  private count(layout: LayoutId): void {
    this.stats.layouts[layout] = (this.stats.layouts[layout] ?? 0) + 1;
    if (layout === 'unknown') this.stats.unparsed++;
  }

  /** Close the open record and hand it to block assembly. */
  private closeRecord(): void {
    if (this.tentative !== null) this.untangle();
    if (this.held !== null && this.open !== null && this.held !== this.open) {
      // The record held before a `{` that was no record: it ends first, where it stood.
      const after = this.open;
      this.open = this.held;
      this.held = null;
      this.closeRecord();
      this.open = after;
    }
    const r = this.open;
    this.open = null;
    if (!r || r.skipped) return;
    // A JSON object printed over several lines and cut before its closing brace (a paste stops there): read as its line.
    const compact = r.header.layout === 'unknown' && r.taken > 0 ? prettyJsonRecord(r, null) : null;
    if (compact !== null) {
      this.replaceWithLine(r, compact, r.wrapper);
      const folded = this.open as OpenRecord | null;
      if (folded !== null) folded.endLine = r.endLine;
      this.closeRecord();
      return;
    }
    this.assemble(toRecordEvent(r, this.input));
  }

  /** End of input or idle: close the open record and any open block. */
  flush(): void {
    const rest = this.unwrapper.flush();
    if (rest?.text) this.take(rest.text, rest.wrapper, this.open?.endLine ?? 0);
    this.closeRecord();
    this.closeBlock();
  }

  // ---- records → events -------------------------------------------------------------------

  private assemble(r: RecordEvent): void {
    const b = this.block;
    if (b) {
      if (b.accepts(r)) {
        b.add(r);
        if (b.done || b.records >= MAX_BLOCK_RECORDS) this.closeBlock();
        return;
      }
      // Access-log lines flushed late by Envoy may interleave with a crash block: pass them through.
      if (b.kind === 'crash' && (r.layout === 'access-json' || r.layout === 'access-text')) {
        this.send(r, null);
        return;
      }
      this.closeBlock();
    }
    const kind = blockKind(r);
    if (kind) {
      this.block = new Block(kind, r);
      return;
    }
    this.send(r, null);
  }

  private closeBlock(): void {
    const b = this.block;
    this.block = null;
    if (b) this.send(b.event(), b.kind);
  }

  /** A record (or a block's event) becomes the event itself: each is sent at most once. */
  private send(r: RecordEvent, kind: string | null): void {
    this.stats.events++;
    if (kind !== null) r.kind = kind;
    r.seq = ++this.sequence.seq;
    this.emit(r);
  }
}

const SKIPPED: Header = makeHeader('unknown', null, null, null, null, '', false);

/** A record on its way to becoming an event: the event's shape, its `seq` given when it is sent. */
interface RecordEvent extends LogEvent {
  literalHits: number[] | undefined;
  lines: string[];
  lineNumbers: number[];
  lineMap: number[];
  kind: string | null;
  seq: number;
}

const ENVOY_LAYOUTS = new Set<LayoutId>(['envoy', 'envoy-istio', 'envoy-epoch', 'istio-json']);

/**
 * The literal ids of a line's hits that can be in its header's message, when that message is the
 * line's text from some offset on (L2: up to its `thread=` suffix); null when it is not a plain
 * part of the line (JSON, access lines: built from fields) and must be searched itself.
 */
function messageHits(hits: Int32Array, text: string, h: Header): number[] | null {
  const m = h.message;
  const from = text.endsWith(m) ? text.length - m.length : h.layout === 'envoy-istio' ? text.indexOf(m) : -1;
  return from < 0 ? null : hitsFrom(hits, from);
}

function toRecordEvent(r: OpenRecord, input: string): RecordEvent {
  const h = r.header;
  let msg = r.msg;
  let lineMap = r.msgLine;
  let literalHits: number[] | undefined;
  // Higress' Envoy escapes newlines of Wasm VM messages (a trap and its in-VM backtrace, a
  // recovered panic's stack) into the two characters `\n`: restore them so frames are lines again.
  if (ENVOY_LAYOUTS.has(h.layout) && h.logger === 'wasm' && msg[0]!.includes('\\n')) {
    const parts = msg[0]!.split('\\n').map((p) => p.replace(/\\t/g, '\t'));
    msg = [...parts, ...msg.slice(1)];
    lineMap = [...parts.map(() => r.line), ...lineMap.slice(1)];
  } else if (r.hits !== null && msg.length === 1) {
    literalHits = r.hits;
  } else if (msg.length > 1 && (h.layout === 'kube' || h.layout === 'unknown')) {
    const folded = foldYamlScalars(msg, r.lines, lineMap) ?? foldColumnWrap(msg, r.lines, lineMap);
    if (folded) ({ msg, lineMap } = folded);
  } else if (msg.length > 1 && msg[0]!.trim() === '' && ENVOY_LAYOUTS.has(h.layout)) {
    // A paste wrapped right after the header (`… envoy wasm …/context.cc:1157` / `wasm log …`): the message is the
    // next line, so templates and anchored patterns see it first.
    msg = msg.slice(1);
    lineMap = lineMap.slice(1);
  }
  // Same fields, same order as the event objects were always built with.
  return {
    input,
    line: r.line,
    endLine: r.endLine,
    layout: h.layout,
    level: h.level,
    logger: h.logger,
    thread: h.thread,
    time: h.time,
    message: msg.length === 1 ? msg[0]! : msg.join('\n'),
    lines: r.lines,
    lineNumbers: r.msgLine,
    access: h.access,
    kind: h.rawKind ?? null,
    seq: 0,
    lineMap,
    wrapper: r.wrapper,
    literalHits,
  };
}

/** A YAML mapping key whose value opens a quoted scalar: `message: 'Wasm: …`, `- reason: "…`. */
const YAML_QUOTED_VALUE = /^([\t ]*(?:-[\t ]+)?)[\w./-]+:[\t ]+(['"])/;
/** Lines one folded scalar may take (kubectl wraps at about 80 columns: long texts, not whole documents). */
const MAX_FOLDED_LINES = 40;

/** Where a quoted scalar that starts at `from` closes in `text`, or −1 (`''` is a quote in a single-quoted one, `\"` in a double-quoted one). */
function quoteCloses(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

const indentOf = (text: string): number => text.length - text.trimStart().length;

/**
 * YAML pasted beside a log (a resource's status, `kubectl get -o yaml`) folds a long quoted scalar over
 * more-indented lines: `message: 'Wasm: … last error:` / `    wasm module download request failed: status code
 * 404.'`. Such a scalar is one text, as YAML reads it: its lines are joined by a space (a double-quoted line ending
 * in `\` by nothing) into the key's line, while they are indented deeper than the key and the quote is open. Only
 * lines of one record are joined (the assembler decided which lines continue it); null when nothing folds.
 */
function foldYamlScalars(msg: string[], lines: readonly string[], lineMap: number[]): { msg: string[]; lineMap: number[] } | null {
  let out: { msg: string[]; lineMap: number[] } | null = null;
  for (let i = 0; i < msg.length - 1; i++) {
    const key = YAML_QUOTED_VALUE.exec(lines[i] ?? '');
    if (!key) continue;
    const quote = key[2]!;
    if (quoteCloses(lines[i]!, key[0].length, quote) >= 0) continue;
    // The key's column (after a list item's `- `): the scalar's lines are deeper.
    const keyIndent = key[1]!.length;
    let text = msg[i]!.trimEnd();
    let j = i + 1;
    for (; j < msg.length && j - i <= MAX_FOLDED_LINES; j++) {
      const next = lines[j] ?? '';
      if (next.trim() === '' || indentOf(next) <= keyIndent) break;
      const part = msg[j]!.trim();
      text = quote === '"' && text.endsWith('\\') ? text.slice(0, -1) + part : `${text} ${part}`;
      if (quoteCloses(part, 0, quote) >= 0) {
        j++;
        break;
      }
    }
    if (j === i + 1) continue;
    out ??= { msg: msg.slice(), lineMap: lineMap.slice() };
    // Indices in `out` run behind those of `msg` by the lines folded so far.
    const at = i - (msg.length - out.msg.length);
    out.msg.splice(at, j - i, text);
    out.lineMap.splice(at + 1, j - i - 1);
    i = j - 1;
  }
  return out;
}

/** A time of day (a date before it optional) opening a line (a paste's indentation before it), then the blanks up to its text: `19:15:15.276188243  `. */
const TIME_COLUMN = /^ {0,16}(?:\d{4}-\d{2}-\d{2}[T ])?\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,9})?Z? {1,8}(?=\S)/;

/**
 * A message wrapped under its own column: a viewer (or a hand) that prints the time in a column and wraps the text
 * beside it indents each further line to exactly where the text began (`19:15:15.276188243  [gRPC config for …` /
 * `                    rejected: Error adding/updating …`). Those lines are the one message, joined by a space, so
 * a pattern reads the words across the wrap. Only lines indented with spaces to that very column are taken (at most
 * 40): a deeper or shallower line is content of its own. Null when the first line has no time column or nothing folds.
 */
function foldColumnWrap(msg: string[], lines: readonly string[], lineMap: number[]): { msg: string[]; lineMap: number[] } | null {
  const head = TIME_COLUMN.exec(lines[0] ?? '');
  if (!head) return null;
  const column = head[0].length;
  const pad = ' '.repeat(column);
  let j = 1;
  while (j < msg.length && j <= MAX_FOLDED_LINES && indentOf(lines[j] ?? '') === column && (lines[j] ?? '').startsWith(pad)) j++;
  if (j === 1) return null;
  const text = msg.slice(0, j).map((m, k) => (k === 0 ? m.trimEnd() : m.trim())).join(' ');
  return { msg: [text, ...msg.slice(j)], lineMap: [lineMap[0]!, ...lineMap.slice(j)] };
}

/**
 * Envoy embeds newlines freely (proto dumps, listener error lists, V8 traps, Go stacks of older
 * plugins), and raw blocks run on until a header: any non-header line continues them. Go (Istio),
 * klog and Spring records continue only with indented or blank lines (multi-error bullets, Java
 * frames), so a stray line after them is counted as unparsed instead of hiding inside them.
 */
const FREE_CONTINUATION = new Set<LayoutId>(['envoy', 'envoy-istio', 'envoy-epoch']);

/** A debugger's prompt line pasted above its output: `(gdb) bt`, `(lldb) bt all`, `(gdb) thread apply all bt`. */
const DEBUGGER_PROMPT = /^\s{0,8}\((?:gdb|lldb)\) \S[^\n]{0,200}$/;

/** Layouts a pasted line may be recognised as once quote markers and backticks are removed. */
const PASTE_LAYOUTS = new Set<LayoutId>(['envoy', 'envoy-istio', 'envoy-epoch', 'istio-go', 'istio-json', 'access-json', 'access-text', 'supervisord', 'klog', 'spring']);

/**
 * Raw blocks take only lines of their own shape, so an open panic or V8 block cannot swallow
 * whatever follows it: Go stacks (`goroutine 1 [running]:`, `main.main()`, `created by …`,
 * `exit status 2`), V8's `#` and `====` lines, Envoy crash text (`#3: frame`).
 */
function rawContinuation(open: OpenRecord, text: string): boolean {
  if (open.header.layout !== 'raw') return false;
  switch (open.header.rawKind) {
    case 'go-panic':
      return /^(?:goroutine \d+ \[|[\w./*()\[\]{}%-]+\(.*\)\s*$|created by |panic: |fatal error: |\[signal |exit status \d+|\.\.\.)/.test(text);
    case 'v8':
      return /^(?:#|====|Security context:)/.test(text);
    case 'crash':
      return /^(?:#\d+[: ]|thr\d+ )/.test(text);
    case 'wasm-trap':
      return /^(?:Proxy-Wasm plugin in-VM backtrace:|\s*\d{1,3}:\s+0x[0-9a-f]+ - )/.test(text);
    default:
      return false;
  }
}

const EMBEDDED_HEADER = /\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\]\[\d+\]\[(?:trace|debug|info|warning|error|critical)\]\[/;

/** Where an Envoy header (L1) starts inside a line that is not one, or −1. */
function embeddedHeaderAt(text: string): number {
  const i = text.indexOf('][', 20);
  if (i < 0) return -1;
  const m = EMBEDDED_HEADER.exec(text);
  return m && m.index > 0 && parseHeader(text.slice(m.index)) !== null ? m.index : -1;
}

function javaContinuation(open: OpenRecord, text: string): boolean {
  return open.header.layout === 'spring' && /^(?:Caused by: |Suppressed: |\.\.\. \d+ more)/.test(text);
}

/** The narrowest terminal whose hard wrap is joined back (§W22): narrower, a short line is too often a whole one. */
const MIN_WRAP_WIDTH = 60;
/** The most pieces of one line taken before its width is proven (a line of 16 widths). */
const MAX_TENTATIVE_PIECES = 16;

/**
 * What a cut line's rest may start with: anything but a TAB or an indentation (one space: the cut fell before it), and
 * not what opens a line of structured text printed after a log line — a proto's `field {` or `field: value`, a YAML
 * key, a closing brace or bracket (Envoy's rejected config dumped after its warning is such lines, not a rest).
 */
function restOfALine(text: string): boolean {
  const c = text.charCodeAt(0);
  return text.length > 0 && c !== 9 && (c !== 32 || (text.length > 1 && text.charCodeAt(1) !== 32 && text.charCodeAt(1) !== 9)) && !STRUCTURED_LINE.test(text);
}
const STRUCTURED_LINE = /^(?:[A-Za-z_][\w.-]*(?: \{| ?: )|[}\]])/;

/** A record a hard wrap's rest may join: of its lines all kept, and never skipped by the prefilter (below warning). */
function joinable(r: OpenRecord | null): r is OpenRecord {
  // (A closed record takes no more lines, but its one line may still be read again whole: an access line's.)
  return r !== null && !r.skipped && (!r.closed || r.taken === 0) && r.lines.length === r.taken + 1 && (r.header.level === null || LEVEL_RANK[r.header.level] >= LEVEL_RANK.warning);
}

/** The deepest indentation read as a paste's own (a markdown code block is 4; a list item's adds 2–4). */
const MAX_PASTE_INDENT = 12;

function leadingSpaces(text: string): number {
  let n = 0;
  while (text.charCodeAt(n) === 32) n++;
  return n;
}

/**
 * The one line a JSON object printed over several lines stands for (`jq .` output, a log viewer's JSON view: `{` alone,
 * then `  "key": value,` lines, then `}` as indented as the `{`, or nothing when the paste was cut after a member),
 * written compactly, when it is a record a one-line JSON could be — an access entry, Istio's JSON, a collector's
 * envelope (docs/formats.md §W14); else null. Only records that kept every line are read (MAX_EVENT_LINES).
 */
function prettyJsonRecord(r: OpenRecord, closing: string | null): string | null {
  if (r.closed || r.lines.length !== r.taken + 1 || r.lines[0]!.trim() !== '{') return null;
  const lines = closing === null ? r.lines : [...r.lines, closing];
  const last = lines[lines.length - 1]!;
  let members: string[];
  if (lines.length > 1 && /^\s*\}\s*,?\s*$/.test(last)) members = lines.slice(1, -1);
  else if (/^\s+"[^"]*"\s*:\s*(?:"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)\s*,?\s*$/.test(last)) members = lines.slice(1);
  else return null; // cut inside a member or a nested value: not read
  // A trailing comma (a paste cut after a member, or a lenient printer) is dropped; failing that, a printer's
  // single-quoted strings (Python's repr, JSON5) are read as JSON's.
  const compact = compactObject(members) ?? compactObject(members.map(doubleQuoted));
  if (compact === null) return null;
  return parseHeader(compact) !== null || jsonEnvelope(compact) !== null ? compact : null;
}

function compactObject(members: readonly string[]): string | null {
  try {
    const obj: unknown = JSON.parse(`{${members.join('\n').replace(/,\s*$/, '')}}`);
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return null;
    return JSON.stringify(obj);
  } catch {
    return null;
  }
}

/** A member line whose key or value is single-quoted (no quote of that kind inside), with JSON's double quotes instead. */
function doubleQuoted(line: string): string {
  // Anchored at the line's start: one pass over the line, whatever it holds.
  const key = /^(\s*)'([^'\n]*)'(\s*:)/.exec(line);
  const keyed = key ? `${key[1]}${JSON.stringify(key[2])}${key[3]}${line.slice(key[0].length)}` : line;
  const value = /^(\s*"(?:[^"\\\n]|\\.)*"\s*:\s*)'([^'\n]*)'(\s*,?\s*)$/.exec(keyed);
  return value ? `${value[1]}${JSON.stringify(value[2])}${value[3]}` : keyed;
}

/**
 * An indented line that starts with a date, after a record nothing explained: a line of a pasted log whose header no
 * layout reads (a date, then words in no known order), indented with the rest of the paste — a line of its own, as it
 * is unindented.
 */
function timedLineOfAPaste(open: OpenRecord, text: string): boolean {
  return open.header.layout === 'unknown' && text.charCodeAt(0) === 32 && /^\s+\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(text);
}

/**
 * A line indented no deeper than the line no layout read before it, itself indented: in a paste indented as a whole
 * whose lines no layout reads (a `stern`/`kubectl --prefix` listing, lines that lost their TABs), each line stands for
 * itself, as it does unindented — only a deeper line is its continuation.
 */
function siblingOfAnIndentedLine(open: OpenRecord, text: string): boolean {
  const head = open.lines[0];
  if (open.header.layout !== 'unknown' || head === undefined || text.trim() === '') return false;
  const first = indentOf(head);
  return first > 0 && indentOf(text) <= first;
}

function isIndentedOrBlank(text: string): boolean {
  const c = text.charCodeAt(0);
  return text.length === 0 || c === 32 || c === 9 || text.trim() === '';
}

/** Lines in no known layout still get a level when they say so plainly, so errors are not lost. */
function guessLevel(text: string): Level | null {
  if (/\b(?:FATAL|CRITICAL)\b|\bfatal\b|\bpanic\b|Segmentation fault/.test(text)) return 'critical';
  if (/\b(?:ERROR|Error|error)\b|\b(?:failed|Failed|FAILED|Exception|exception)\b/.test(text)) return 'error';
  if (/\b(?:WARN|WARNING|warn|warning)\b/.test(text)) return 'warning';
  return null;
}

// ---- blocks -----------------------------------------------------------------------------------

type BlockKind = 'crash' | 'wasm-panic';

/*
 * THE BLOCK CONTRACT. The context lane (lines/context-lane.ts, noteBlocks) decides from bytes
 * whether a block may be open, and holds no line while one may, so every record a block would
 * take reaches it. Both sides keep these rules; a change to one is a change to the other:
 *   1. A crash block starts at a crash record (isCrashRecord: Caught/Backtrace/frames of the
 *      `backtrace` logger at error or critical, an `assert`/`std::terminate` critical, V8's
 *      `# Fatal`, raw crash text) and takes crash records, lines of no known layout and raw lines
 *      (but a Go panic's); any other record ends it.
 *   2. A Wasm panic block starts at a `wasm` logger record at error or above whose text is just
 *      `panic:`, takes plugin records of the `wasm` logger (same thread), and ends at a
 *      `Function: … failed` line, another logger, a whole JSON access record, or after
 *      MAX_BLOCK_RECORDS records.
 * The property test `block contract: the lane changes nothing but the event count …`
 * (test/context-lane.test.ts) checks it on random mixes of chatter, faults, blocks and
 * continuations.
 */

const WASM_LOG_TOKEN = /^wasm log(?: [^:\n]*)?\s*: ?/;

function isCrashRecord(r: RecordEvent): boolean {
  // V8's `# Fatal …` block is followed by Envoy's `Caught Aborted` block: one crash.
  if (r.kind === 'crash' || (r.kind === 'v8' && r.message.includes('# Fatal'))) return true;
  if (r.logger === 'backtrace' && (r.level === 'critical' || r.level === 'error')) return true;
  if (r.level !== 'critical') return false;
  if (r.logger === 'assert') return true;
  return r.logger === 'main' && r.message.startsWith('std::terminate called!');
}

function blockKind(r: RecordEvent): BlockKind | null {
  if (isCrashRecord(r)) return 'crash';
  if (r.logger === 'wasm' && r.level !== null && LEVEL_RANK[r.level] >= LEVEL_RANK.error) {
    const m = WASM_LOG_TOKEN.exec(r.message);
    if (m && /^panic: ?$/.test(r.message.slice(m[0].length))) return 'wasm-panic';
  }
  return null;
}

class Block {
  records = 0;
  done = false;
  private readonly first: RecordEvent;
  private last: RecordEvent;
  private readonly parts: string[] = [];
  private readonly lines: string[] = [];
  private readonly lineNumbers: number[] = [];
  private readonly lineMap: number[] = [];
  private worst: Level | null;

  constructor(
    readonly kind: BlockKind,
    first: RecordEvent,
  ) {
    this.first = first;
    this.last = first;
    this.worst = first.level;
    this.add(first);
  }

  accepts(r: RecordEvent): boolean {
    if (this.kind === 'crash') {
      // State dumps go straight to stderr without a header: unknown lines belong to the crash.
      return isCrashRecord(r) || r.layout === 'unknown' || (r.layout === 'raw' && r.kind !== 'go-panic');
    }
    if (r.logger !== 'wasm') return false;
    if (this.first.thread && r.thread && r.thread !== this.first.thread) return false;
    return WASM_LOG_TOKEN.test(r.message) || /^Function: \S+ failed/.test(r.message);
  }

  add(r: RecordEvent): void {
    this.records++;
    this.last = r;
    if (r.level && (!this.worst || LEVEL_RANK[r.level] > LEVEL_RANK[this.worst])) this.worst = r.level;
    if (this.kind === 'wasm-panic') {
      const m = WASM_LOG_TOKEN.exec(r.message);
      if (m && this.records > 1 && !r.message.startsWith('Function:')) {
        // Tokens of one write each: glue them back into the text the Go runtime printed.
        this.parts[this.parts.length - 1] += r.message.slice(m[0].length).replace(/\n/g, ' ');
      } else {
        this.parts.push(r.message);
        this.lineMap.push(...r.lineMap);
      }
      if (/^Function: \S+ failed/.test(r.message)) this.done = true;
    } else {
      this.parts.push(r.message);
      this.lineMap.push(...r.lineMap);
    }
    for (let i = 0; i < r.lines.length && this.lines.length < MAX_EVENT_LINES; i++) {
      this.lines.push(r.lines[i]!);
      this.lineNumbers.push(r.lineNumbers[i] ?? r.line);
    }
  }

  event(): RecordEvent {
    const f = this.first;
    const message = this.parts.join('\n');
    // Matching maps message lines to physical lines; for a block, map each message line to the
    // physical line it came from as far as they correspond, else to the block's first line.
    const msgLines = message.split('\n').length;
    const lineMap = this.lineMap.length === msgLines ? this.lineMap : Array.from({ length: msgLines }, (_, i) => this.lineMap[i] ?? f.line);
    // The fields in toRecordEvent's order, as a literal: every event has one hidden class, so
    // the code that reads events stays optimised when the first block comes.
    return {
      input: f.input,
      line: f.line,
      endLine: this.last.endLine,
      layout: f.layout,
      level: this.worst,
      logger: f.logger,
      thread: f.thread,
      time: f.time,
      message,
      lines: this.lines,
      lineNumbers: this.lineNumbers,
      access: f.access,
      kind: this.kind,
      seq: f.seq,
      lineMap,
      wrapper: f.wrapper,
      // A block's message joins several records: search it whole.
      literalHits: undefined,
    };
  }
}
