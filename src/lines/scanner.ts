// Bytes → lines. This is the hot path: a line index (line-index.ts, WebAssembly) finds the line
// ends and counts the successful access-log lines; for the others it looks at a few bytes to
// recognise the layout and level, and decodes only lines that can matter. Lines the
// prefilter proves harmless are reported as skipped (counted, never decoded). Everything the
// prefilter is unsure of takes the full parse, so skipping only ever saves work; a test runs
// both ways over the same input and compares the diagnosis. Candidate lines are searched for the
// catalog's literals on their bytes (literal-hits.ts), and in `analyze` plugin chatter goes
// through the context lane (context-lane.ts).
import type { LayoutId } from '../model.js';
import { classifyFast, FAST_CANDIDATE, kubectlTimeEnd, type FastLiterals } from './prefilter.js';
import type { ByteLiteralSearch } from './literal-hits.js';
import { INDEX_RECORDS, LineIndex } from './line-index.js';
import { MAX_LINE_BYTES, READ_CHUNK } from '../limits.js';
import { isAccessLine, LANE_HOLD, sniffHeader, type ContextLane, type HeaderSniff } from './context-lane.js';


export interface LineSink {
  /**
   * A line that needs the full parse. `cut` = bytes dropped beyond MAX_LINE_BYTES. `hits`, when the
   * line was searched where it was scanned: the catalog literals in it (see lines/literal-hits.ts),
   * valid only during the call.
   */
  line(text: string, number: number, cut: number, hits?: Int32Array): void;
  /** A line the prefilter proved harmless: a header of `layout` at a level no pattern wants. */
  skip(number: number, layout: LayoutId): void;
  /**
   * Optional: receive a candidate line as its bytes `buf[start, end)` instead of `line()` (the scan
   * worker forwards bytes; the receiving thread decodes them exactly as `line()` would be given).
   * `buf` is valid only during the call.
   */
  lineBytes?(buf: Buffer, start: number, end: number, number: number, cut: number, hits?: Int32Array): void;
  /** Optional: `count` skipped lines of one layout, numbered from `first` (same as skip() for each). */
  skipRun?(first: number, count: number, layout: LayoutId): void;
}

export interface ScannerOptions {
  /** Literals of patterns that match low-level (info/debug) lines; such lines are not skipped. */
  literals?: FastLiterals;
  /** Turn the prefilter off: every line is decoded and parsed (the reference path). */
  noPrefilter?: boolean;
  /** Search each candidate line for the catalog's literals; the hits go with the line to the sink. */
  search?: ByteLiteralSearch;
  /** With `search`: hold back lines only context patterns can claim (context-lane.ts). */
  lane?: ContextLane;
  /**
   * With a lane: an access line without these 4-byte needles (and without a `\u` escape) cannot
   * read plugin activity, and waits behind a held line instead of letting it go.
   */
  accessNeedles?: readonly Uint8Array[];
  /** false: the line index runs its JavaScript equivalent instead of the WebAssembly kernel (tests). */
  nativeIndex?: boolean;
}

export class LineScanner {
  private lineNo = 0;
  private bytes = 0;
  /** Start of an unfinished line carried over from the previous chunk (bounded by MAX_LINE_BYTES). */
  private carry: Buffer[] = [];
  private carryLen = 0;
  private carryCut = 0;
  private readonly literals: FastLiterals | undefined;
  private readonly noPrefilter: boolean;
  private readonly byteSink: boolean;
  private readonly search: ByteLiteralSearch | null;
  private readonly lane: ContextLane | null;
  private readonly hitBuf: Int32Array;
  /** Finds the lines of each piece, and the successful access lines among them (line-index.ts). */
  private readonly index: LineIndex;
  /** Access lines that cannot read plugin activity may wait behind the lane's held line. */
  private readonly queueAccess: boolean;
  private readonly sniff: HeaderSniff = { start: 0, lineStart: 0, layout: null, low: false, quiet: false, crashable: false, wasmLogger: false, messageStart: 0 };

  constructor(
    private readonly sink: LineSink,
    opts: ScannerOptions = {},
  ) {
    this.literals = opts.literals;
    this.noPrefilter = opts.noPrefilter ?? false;
    this.byteSink = typeof sink.lineBytes === 'function';
    this.search = opts.search ?? null;
    this.lane = this.search !== null && !this.noPrefilter ? (opts.lane ?? null) : null;
    this.hitBuf = new Int32Array(this.search?.maxOutput ?? 0);
    this.lane?.bind({ forward: this.forward, skipRun: this.skipRun });
    this.index = new LineIndex({ native: opts.nativeIndex });
    this.queueAccess = this.lane !== null && opts.accessNeedles !== undefined;
    if (this.queueAccess) this.index.setNeedles(opts.accessNeedles!);
  }

  get lines(): number {
    return this.lineNo;
  }

  get byteCount(): number {
    return this.bytes;
  }

  /**
   * Where a reader may put the next chunk (at most its length) so push() need not copy it: the
   * line index's input.
   */
  get readBuffer(): Buffer {
    return this.index.input;
  }

  /** Scan a chunk. The chunk is not kept: the caller may reuse its buffer afterwards. */
  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (chunk.length <= READ_CHUNK) {
      this.pushPiece(this.index.load(chunk));
      return;
    }
    for (let off = 0; off < chunk.length; off += READ_CHUNK) this.pushPiece(this.index.load(chunk.subarray(off, off + READ_CHUNK)));
  }

  /** A piece of input in the line index's buffer. */
  private pushPiece(b: Buffer): void {
    let start = 0;
    const len = b.length;
    if (this.carryLen > 0 || this.carryCut > 0) {
      const nl = b.indexOf(10);
      if (nl < 0) {
        this.keep(b, 0, len);
        return;
      }
      this.keep(b, 0, nl);
      this.emitCarried();
      start = nl + 1;
    }
    // The index hands over every whole line but the successful access lines the prefilter would
    // skip (JSON and TEXT), which it only counts (none with --no-prefilter).
    const index = this.index;
    const skipAccess = !this.noPrefilter;
    for (;;) {
      const n = index.scan(start, len, skipAccess);
      const r = index.records;
      for (let i = 0; i < n * 3; i += 3) {
        const skipped = r[i + 2]!;
        if (skipped !== 0) this.skipAccess(skipped);
        const s = r[i]!;
        // Only the end of a run of skipped lines (their layout changes after it).
        if (s < 0) continue;
        const nl = r[i + 1]!;
        if (nl - s > MAX_LINE_BYTES) this.emit(b, s, s + MAX_LINE_BYTES, nl - s - MAX_LINE_BYTES);
        else this.emit(b, s, nl, 0);
      }
      if (index.tailSkip !== 0) this.skipAccess(index.tailSkip);
      start = index.consumed;
      if (n < INDEX_RECORDS) break;
    }
    if (start < len) this.keep(b, start, len);
    // The piece's buffer is refilled next: the lane copies a line it holds from it.
    this.lane?.detach();
  }

  /** Successful access lines, next in line order, as the line index counts them (JSON > 0, TEXT < 0): skipped as the prefilter skips them. */
  private skipAccess(signed: number): void {
    const count = Math.abs(signed);
    const first = this.lineNo + 1;
    this.lineNo += count;
    this.skipped(first, count, signed > 0 ? 'access-json' : 'access-text');
  }

  /** Lines the prefilter skipped, in line order: behind the lane's held line while it holds one. */
  private skipped(first: number, count: number, layout: LayoutId): void {
    if (this.lane !== null && this.lane.isHolding) this.lane.deferSkip(first, layout, count);
    else this.skipRun(first, count, layout);
  }

  /** The line carried over from earlier chunks, now whole (or at the end of the input). */
  private emitCarried(): void {
    const joined = this.carry.length === 1 ? this.carry[0]! : Buffer.concat(this.carry, this.carryLen);
    const cut = this.carryCut;
    this.carry = [];
    this.carryLen = 0;
    this.carryCut = 0;
    this.emit(joined, 0, joined.length, cut);
  }

  /** Flush a last line without a terminator. */
  end(): void {
    if (this.carryLen > 0 || this.carryCut > 0) this.emitCarried();
    this.lane?.release();
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    const room = MAX_LINE_BYTES - this.carryLen;
    const take = Math.min(room, end - start);
    // Copy: the caller may reuse its chunk buffer.
    if (take > 0) {
      this.carry.push(Buffer.from(chunk.subarray(start, start + take)));
      this.carryLen += take;
    }
    this.carryCut += end - start - take;
  }

  private emit(buf: Buffer, start: number, end: number, cut: number): void {
    const number = ++this.lineNo;
    // CRLF: the CR belongs to the terminator.
    if (end > start && buf[end - 1] === 13 && cut === 0) end--;
    if (!this.noPrefilter) {
      const layout = classifyFast(buf, start, end, this.literals);
      if (layout !== FAST_CANDIDATE) {
        this.skipped(number, 1, layout);
        return;
      }
    }
    let hits: Int32Array | undefined;
    const lane = this.lane;
    // `kubectl logs --timestamps` puts its time first: the line the assembler reads begins after
    // it, and so do the lane's decisions (the line handed on is the whole line).
    const s = this.search !== null ? kubectlTimeEnd(buf, start, end) : start;
    // An access line's message is built from its fields: searching its bytes would be wasted.
    // A TEXT access line counts as one only when it is certainly a record of its own (a cut one
    // takes the ordinary path).
    const textRecord = this.search !== null && cut === 0 && this.index.textRecord(buf, s, end);
    if (this.search !== null && !textRecord && !isAccessLine(buf, s, end)) {
      const h = sniffHeader(buf, s, end, this.sniff);
      h.lineStart = start;
      let key = -1;
      if (lane !== null && lane.mayHold(h)) {
        key = this.index.maskedKey(buf, h.messageStart, end);
        // The same text (but for its ids) was chatter before: so is this line, no search needed.
        if (lane.knows(key)) {
          lane.holdKnown(buf, end, h, number, cut);
          return;
        }
      }
      const n = this.search.scan(buf, s, h.messageStart, end, this.hitBuf, 0);
      if (lane !== null && lane.consider(buf, end, h, number, cut, this.hitBuf, n, key) === LANE_HOLD) return;
      hits = this.hitBuf.subarray(0, n);
    } else if (lane !== null && cut === 0 && (textRecord || wholeAccessRecord(buf, s, end))) {
      lane.noteAccessRecord();
      // A failed request that cannot read plugin activity waits behind the held line (see
      // catalog/scan-plan.ts accessNeedles).
      if (this.queueAccess && lane.isHolding && !this.index.holdsNeedle(buf, s, end)) {
        lane.deferLine(buf, start, end, number, cut);
        return;
      }
    }
    // The line the lane holds is older than this one: it goes first.
    lane?.release();
    this.forward(buf, start, end, number, cut, hits);
  }

  private readonly forward = (buf: Buffer, start: number, end: number, number: number, cut: number, hits: Int32Array | undefined): void => {
    if (this.byteSink) this.sink.lineBytes!(buf, start, end, number, cut, hits);
    else this.sink.line(buf.toString('utf8', start, end), number, cut, hits);
  };

  /** Skipped lines the lane let go (a held line it dropped, or lines that waited behind it). */
  private readonly skipRun = (first: number, count: number, layout: LayoutId): void => {
    if (this.sink.skipRun) this.sink.skipRun(first, count, layout);
    else for (let i = 0; i < count; i++) this.sink.skip(first + i, layout);
  };
}

const RESPONSE_CODE_KEY = Buffer.from('"response_code":');

/**
 * An access line that parses as an access record of its own, as far as its ends and its key tell:
 * a line cut short or without `response_code` would continue the record before it instead, so it
 * must not wait behind a held line that may be dropped.
 */
function wholeAccessRecord(buf: Buffer, start: number, end: number): boolean {
  // `}` last; the search stays inside the line (a search to the end of the piece for each line
  // without the key would be quadratic).
  return buf[end - 1] === 125 && buf.subarray(start, end).indexOf(RESPONSE_CODE_KEY) >= 0;
}
