// Collectors wrap each line: Docker's json-file driver, `kubectl logs --timestamps/--prefix`,
// CRI runtimes, `docker compose`, journalctl, a markdown quote, a host's own time, a multi-pod viewer's pod and
// container names, a log store's CSV export, Loki's labels; a log copied out of a terminal viewer (k9s) sits in a box.
// Unwrapping is stateful because Docker and CRI split long lines into partial pieces that must be
// joined again before the layout can be recognised.
import type { WrapperId } from '../model.js';
import { parseHeader, stripPasteArtifacts } from './layouts.js';
import { isDigit } from '../lines/prefilter.js';

export interface Unwrapped {
  /**
   * The line as the process wrote it; null while a partial piece waits for its rest, or for a
   * line that is all wrapper (a box's top or bottom border).
   */
  readonly text: string | null;
  readonly wrapper: WrapperId | null;
}

const KUBECTL_PREFIX = /^\[pod\/[^/\]\s]+\/[^\]\s]+\] /;
const CRI = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) (?:stdout|stderr) ([FP]) ?/;
// RFC3339Nano as kubectl prints it, one space, then the line (which must not be a level column: spaces and a level word
// after the time are an Istio or zap line whose TABs became spaces). A TAB after the one space is the line's own (a
// multi-error bullet, `\t* cannot fetch …`); so are spaces before anything else (a heap dump's `     30 pages * …`, YAML).
const KUBECTL_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) (?! *(?:trace|debug|info|warn|warning|error|critical|fatal|panic|dpanic)[\t ])/i;
const COMPOSE = /^[A-Za-z0-9][\w.-]{0,62}\s*\| /;
const DOCKER_JSON = /^\{"log":"/;
// Loki's stream labels, as logcli prints them between an entry's time and its line (docs/formats.md §W16).
const LOKI_LABELS = /^\{[A-Za-z_][A-Za-z0-9_]*="(?:[^"\\]|\\.)*"(?:, ?[A-Za-z_][A-Za-z0-9_]*="(?:[^"\\]|\\.)*")*\} /;
// journalctl (Docker's journald log driver, a systemd unit): `Dec 07 11:02:03 host ident[pid]: <line>`. Peeled when what
// follows is a gateway line — an Envoy or Istio header, JSON, or a TAB-led continuation (`\t* cannot fetch …`) — or when the
// ident is not one of the host's own programs: a gateway's unit or container writes raw lines too (a crash block's
// `Caught Segmentation fault` and its frames, a Go panic, the start script), which must keep their blocks. The host's own
// lines in the same journal (`kernel: Out of memory: Killed process …`, systemd's `Main process exited`) stay syslog lines.
const JOURNALD = /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ ([\w./@:-]+?)(?:\[\d+\])?: /;
// Any of them may be pasted in inline code (a backtick first). An access line cut before its time starts with the request
// (`"GET /p HTTP/1.1" 503 …`, or cut inside its opening quote: docs/formats.md §L10).
const GATEWAY_START =
  /^(?:\t|`?(?:\[\d{4}-[\dXx]{2}-[\dXx]{2}[ T]|\[Envoy \(Epoch|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d|\{"|\{\s*$|"(?:GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE) \/)|(?:GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE) \/[^\s"]{0,2000} HTTP\/[\d.]{1,3}" \d)/;
// (A page may mask the bracketed date's month and day: `[2025-0X-XXT…`.)
// A host's or a tool's own time before each line, in another shape than kubectl's (`2025-11-25 13:12:28.243537256  <line>`:
// a date, a space, a local time, spaces — docs/formats.md §W13). Peeled before a gateway line (GATEWAY_START), and after
// a first line in this shape before any line but one whose text starts with a level word: supervisord's and Spring's own
// times look the same but are followed by one. Some log viewers show the date alone (`2026-03-19 <line>`): the time is
// optional, the same rules apply.
const HOST_TIME = /^(\d{4}-\d\d-\d\d(?: \d\d:\d\d:\d\d(?:[.,]\d{1,9})?)?) +/;
// The pod and container names a multi-pod viewer (stern, kubetail) puts before each line: two names, or the container's
// alone (`istio-proxy {"level":…}`), one space each. Peeled only before a line the parser reads (lineAfterNames), so
// that words before a date in a sentence stay where they are.
const POD_CONTAINER = /^[a-z0-9][a-z0-9.-]{0,252} [a-z0-9][a-z0-9.-]{0,62} /;
const CONTAINER = /^[a-z0-9][a-z0-9.-]{0,62} /;
/** What the Wasm host prints before a plugin's own frames (docs/formats.md §B-runtime). */
const IN_VM_BACKTRACE = 'Proxy-Wasm plugin in-VM backtrace:';
/** A JSON object's opening: a member (any key, a record or a collector's envelope) or `{` alone (printed over lines). */
const JSON_OPENING = /^\{(?:"[\w@.-]{1,64}":|\s*$)/;
/** A level word where a line's own text starts: a supervisord or Spring line's time is no prefix (HOST_TIME). */
const LEVEL_WORD = /^(?:trace|debug|info|warn|warning|error|critical|fatal|panic|dpanic|crit|erro|debg|trac|blat)\b/i;
/** Pod-and-container prefixes remembered per input (stern interleaves a fleet's pods); past this, none is learnt. */
const MAX_POD_PREFIXES = 64;

/**
 * What pod names before a line make a prefix of: a line the parser reads — a header of any layout, or a process's raw
 * output (Envoy's crash text, a debugger's frames, a Go panic, V8's fatal block, a Wasm trap, an untimed access line,
 * logfmt; parse/layouts.ts, the one definition of them) — or a JSON object.
 */
function lineAfterNames(rest: string): boolean {
  if (readLine(rest)) return true;
  // A line the viewer printed, then pasted in inline code (`` `"GET /p HTTP/1.1" 503 …` ``): what the backticks hold.
  if (rest.charCodeAt(0) === 96) {
    const bare = stripPasteArtifacts(rest);
    if (bare !== rest && readLine(bare)) return true;
  }
  // The Wasm host's fixed words before a plugin's frames: a paste may open with them, its trap line left out.
  if (rest.startsWith(IN_VM_BACKTRACE)) return true;
  // A host's time or a viewer's date column after the names (§W13), then a header: the names go first, the time next.
  const ht = HOST_TIME.exec(rest);
  if (ht !== null && parseHeader(rest.slice(ht[0].length)) !== null) return true;
  // `stern --timestamps` (and kubetail's): the names, then the time `kubectl logs --timestamps` adds, then the line.
  const ts = KUBECTL_TS.exec(rest);
  return ts !== null && readLine(rest.slice(ts[0].length));
}

/** A line the parser reads (a header, a process's raw output) or a JSON object's opening. */
function readLine(text: string): boolean {
  return text.charCodeAt(0) === 123 ? JSON_OPENING.test(text) : parseHeader(text) !== null;
}

/** Programs of the host whose journal lines are host messages (docs/formats.md §L11), not a gateway's output. */
const HOST_PROGRAMS =
  /^(?:kernel|systemd(?:-[\w-]+)?|init|kubelet|kube-proxy|containerd|dockerd|docker|crio|k3s|rke2|sshd|sudo|su|cron|CRON|crond|anacron|audit|auditd|rsyslogd|syslog-ng|journal|NetworkManager|dhclient|dbus-daemon|polkitd|chronyd|ntpd|snapd|multipathd|udisksd|kdump|oom_reaper)$/;

const MAX_PARTIAL = 256 * 1024;

// A row of a markdown table: a log viewer's rows (Grafana, Kibana) pasted into an issue become `| <line> |`, often with
// an empty cell or a short time or label cell beside the line, and `\|` for every pipe inside a cell (docs/formats.md
// §W10). Its separator row (`-- | -- | --`, `|---|:---|`) holds nothing of the log.
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)+\|?\s*$|^\s*\|\s*:?-{2,}:?\s*\|\s*$/;
const TIME_CELL = /^(?:\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?|\d{10,19}|[A-Z][a-z]{2} \d{1,2}, \d{4} @ [\d:.]+)$/;
/** Cells beside the log line are short (a time, a level, a label); two long cells are a real table, not a log row. */
const MAX_SIDE_CELL = 40;

// A log store's CSV export (Logs Explorer's or Grafana's download, a spreadsheet): every field quoted, `""` for a quote
// inside one, one of them the time (docs/formats.md §W15).
const CSV_ROW = /^"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")+\s*$/;

/** The log line in a CSV export's row (its longest field beside a time field, or its last), or undefined when the line is not one. */
function csvRow(text: string): string | undefined {
  if (!CSV_ROW.test(text)) return undefined;
  const fields = [...text.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"'));
  if (!fields.some((f) => TIME_CELL.test(f.trim()))) return undefined;
  const rest = fields.filter((f) => !TIME_CELL.test(f.trim()));
  if (rest.length === 0) return undefined;
  // The longest field; when none is longer than a label (a `{` of a JSON object printed over lines), the last one,
  // where exports put the line.
  let line = rest[rest.length - 1]!;
  for (const f of rest) if (f.length > MAX_SIDE_CELL && f.length > line.length) line = f;
  if (rest.some((f) => f !== line && f.length > MAX_SIDE_CELL)) return undefined;
  return line;
}

/** The log line in a markdown table row (null: a separator row), or undefined when the line is not one. */
function tableRow(text: string, first: number): string | null | undefined {
  let end = text.length - 1;
  while (end > first && text.charCodeAt(end) === 32) end--;
  if (end <= first || text.charCodeAt(end) !== 124 || text.charCodeAt(end - 1) === 92) return undefined;
  if (TABLE_SEPARATOR.test(text)) return null;
  const raw = text
    .slice(first + 1, end)
    .split(/(?<!\\)\|/)
    .filter((c) => c.trim() !== '');
  const cells = raw.map((c) => c.trim());
  if (cells.length === 0) return undefined;
  // The viewer's own time column is never the line, however short the line is.
  const candidates = cells.length > 1 ? cells.filter((c) => !TIME_CELL.test(c)) : cells;
  let line = candidates[0] ?? cells[0]!;
  for (const c of candidates) if (c.length > line.length) line = c;
  if (cells.some((c) => c !== line && c.length > MAX_SIDE_CELL)) return undefined;
  return (ownIndent(raw[cells.indexOf(line)]!) + line).replace(/\\\|/g, '|');
}

/**
 * The indentation a cell's line had of its own: what is left of its leading blanks once the cell's padding (one
 * space, two at most) is left out — a YAML status's nesting, a continuation's TAB, as they were before the row.
 */
function ownIndent(cell: string): string {
  let n = 0;
  while (n < cell.length && (cell.charCodeAt(n) === 32 || cell.charCodeAt(n) === 9)) n++;
  const lead = cell.slice(0, n);
  const pad = lead.startsWith('  ') && lead.length === 2 ? 2 : lead.charCodeAt(0) === 32 ? 1 : 0;
  const own = lead.slice(pad);
  return own === ' ' ? '' : own;
}

// A terminal viewer's box (k9s' log view, docs/formats.md §W6): `│ <line>   │`, the right border padded
// with spaces; a pane edge may have cut either border. Its top and bottom borders (`┌──── Logs(…) ────┐`,
// `└────┘`) and separators are box-drawing characters only, or a title between two corners.
const BOX_BAR = new Set([0x2502, 0x2503, 0x2551]); // │ ┃ ║
const BOX_CORNER = /^[┌┐└┘╭╮╰╯├┤┬┴┼┏┓┗┛┣┫╔╗╚╝╠╣]$/;
const BOX_RULE = /^[\u2500-\u257f ]+$/;

/** Where a line's text ends once trailing spaces are left out. */
function endWithoutSpaces(text: string): number {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return end;
}

/** A line that is only a box's border: a rule of box-drawing characters, or a title between two corners. */
function isBoxBorder(text: string, end: number): boolean {
  if (BOX_RULE.test(text)) return true;
  return BOX_CORNER.test(text.charAt(0)) && BOX_CORNER.test(text.charAt(end - 1)) && /[─━═]{3}/.test(text);
}

/** The line inside a box's borders (null: the line is a border itself); undefined when it is in no box. */
function unbox(text: string): string | null | undefined {
  const first = text.charCodeAt(0);
  const end = endWithoutSpaces(text);
  const lastCode = end > 0 ? text.charCodeAt(end - 1) : 0;
  const left = BOX_BAR.has(first);
  const right = end > 1 && BOX_BAR.has(lastCode);
  if (!left && !right) {
    // A border starts with a corner; a content line never does.
    return first >= 0x2500 && first <= 0x257f && isBoxBorder(text, end) ? null : undefined;
  }
  if (isBoxBorder(text, end)) return null;
  let from = 0;
  if (left) from = text.charCodeAt(1) === 32 ? 2 : 1;
  let to = right ? end - 1 : text.length;
  // The padding before the right border is the box's, not the line's.
  if (right) while (to > from && text.charCodeAt(to - 1) === 32) to--;
  return text.slice(from, to);
}

/**
 * Where a line starting `YYYY-MM-DDTHH:MM:SS` goes on after its fraction and zone (the offset of
 * the character there), or 0 when it does not start so. A cheap look before the regexes.
 */
function spaceAfterTimestamp(text: string): number {
  if (text.charCodeAt(10) !== 84) return 0; // 'T'
  let p = 19;
  if (text.charCodeAt(p) === 46) {
    p++;
    while (p < text.length && text.charCodeAt(p) >= 48 && text.charCodeAt(p) <= 57) p++;
  }
  const z = text.charCodeAt(p);
  if (z === 90) return p + 1; // 'Z'
  if (z === 43 || z === 45) return p + (text.charCodeAt(p + 3) === 58 ? 6 : 5); // ±hh:mm or ±hhmm
  return 0;
}

/**
 * Where a record keeps the process's line, first found first: Fluent Bit, Fluentd and Docker (`log`), Elasticsearch,
 * Kibana and Loki exports (`message`), `journalctl -o json` (`MESSAGE`), Google Cloud Logging (`textPayload`), Alibaba
 * Cloud's Log Service (`content`, Logtail's raw-text field), CloudWatch Logs Insights (`@message`).
 */
const ENVELOPE_KEYS = ['log', 'message', 'MESSAGE', 'textPayload', 'content', '@message'] as const;

/**
 * A collector's or a log store's JSON record around the line (docs/formats.md §W11), under one of ENVELOPE_KEYS. A
 * record that is itself a log line of a gateway process — Istio's JSON (`msg`), the access log (`response_code`,
 * `responseCode`) — is left to the layouts. Looked for only once the layouts have not read a `{` line (the
 * assembler): searching every access-log line for the keys cost half a microsecond each.
 */
export function jsonEnvelope(text: string): string | null {
  let obj: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    obj = v as Record<string, unknown>;
  } catch {
    return null;
  }
  // An Elasticsearch hit (`GET …/_search`, Kibana's JSON tab): the indexed event under `_source`, beside `_index` and `_id`.
  const source = obj._source;
  if (typeof obj._index === 'string' && source !== null && typeof source === 'object' && !Array.isArray(source)) obj = source as Record<string, unknown>;
  if ('msg' in obj || 'response_code' in obj || 'responseCode' in obj) return null;
  let inner: string | null = null;
  for (const key of ENVELOPE_KEYS) {
    const v = obj[key];
    if (typeof v === 'string') {
      inner = v;
      break;
    }
  }
  if (inner === null) return null;
  return inner.endsWith('\r\n') ? inner.slice(0, -2) : inner.endsWith('\n') ? inner.slice(0, -1) : inner;
}

/** Google Cloud Logging's entry as its console or `gcloud logging read --format=json` shows it, one key a line (§W12). */
const TEXT_PAYLOAD = /^[ \t]*"textPayload": ?"/;

/**
 * The line inside a `"textPayload": "<JSON string>",` line, or undefined when the line is not one. The string is
 * unescaped (`\t`, `\n`, `\"`); a value cut before its closing quote is taken as far as it goes.
 */
export function textPayload(text: string): string | undefined {
  const m = TEXT_PAYLOAD.exec(text);
  if (!m) return undefined;
  let body = text.slice(m[0].length).replace(/[ \t]+$/, '');
  if (body.endsWith('",')) body = body.slice(0, -2);
  else if (body.endsWith('"') && !body.endsWith('\\"')) body = body.slice(0, -1);
  let line: string;
  try {
    line = JSON.parse(`"${body}"`) as string;
  } catch {
    line = body.replace(/\\(["\\/tnr])/g, (_, ch: string) => (ch === 't' ? '\t' : ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch));
  }
  return line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') ? line.slice(0, -1) : line;
}

/** How a pasted listing numbers its lines (docs/formats.md §W19): `cat -n`, `grep -n` (`-` for a context line), a gutter. */
const enum Numbering {
  None = 0,
  CatN = 1,
  GrepN = 2,
  Gutter = 3,
}

/** The widest line number read (a listing of ten million lines) and the most spaces `cat -n` pads it with. */
const MAX_NUMBER_DIGITS = 7;
const MAX_NUMBER_PAD = 6;

/** Two digits at i, then the character `after` (0: any). */
const twoDigitsThen = (text: string, i: number, after: number): boolean =>
  isDigit(text.charCodeAt(i)) && isDigit(text.charCodeAt(i + 1)) && (after === 0 || text.charCodeAt(i + 2) === after);
/** What lineNumberAt read: the number and where the line after it starts (no object made per line). */
let lineNumberValue = 0;
let lineNumberEnd = 0;

/**
 * A line number a listing put before the line, read with character checks only (this runs on every line that starts
 * with a digit or a space): `     12\t<line>` (`cat -n`, `nl`), `12:<line>` or `12-<line>` (`grep -n`, the dash on a
 * context line), `  12 | <line>` (a viewer's gutter). Sets lineNumberValue/lineNumberEnd; returns the kind or None.
 */
function lineNumberAt(text: string): Numbering {
  let p = 0;
  while (p < MAX_NUMBER_PAD && text.charCodeAt(p) === 32) p++;
  const first = p;
  let n = 0;
  for (; p - first < MAX_NUMBER_DIGITS; p++) {
    const d = text.charCodeAt(p) - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
  }
  // A number never starts with 0 (a time of day does: `03:04:05`).
  if (p === first || text.charCodeAt(first) === 48) return Numbering.None;
  lineNumberValue = n;
  const sep = text.charCodeAt(p);
  if (sep === 9) {
    lineNumberEnd = p + 1;
    return Numbering.CatN;
  }
  if ((sep === 58 || sep === 45) && first === 0) {
    // Not a time of day (`12:34:56`) nor a date (`2025-01-02`): two digits after the separator, then it again — unless
    // a whole time follows (`7:19:15:15.186 …`, grep's number before a line that starts with its time).
    if (twoDigitsThen(text, p + 1, sep) && !(sep === 58 && twoDigitsThen(text, p + 4, 58) && twoDigitsThen(text, p + 7, 0))) return Numbering.None;
    lineNumberEnd = p + 1;
    return Numbering.GrepN;
  }
  if (sep === 32 && (text.charCodeAt(p + 1) === 124 || text.charCodeAt(p + 1) === 0x2502) && (text.charCodeAt(p + 2) === 32 || p + 2 === text.length)) {
    lineNumberEnd = Math.min(p + 3, text.length);
    return Numbering.Gutter;
  }
  return Numbering.None;
}

/** The command a paste shows before the log it printed (`$ kubectl logs …`): a line of the terminal, none of the log's. */
const SHELL_PROMPT = /^[$#] (?:sudo )?(?:kubectl|oc|k|docker|podman|nerdctl|crictl|journalctl|stern|kubetail|logcli|hgctl|istioctl|cat|zcat|tail|head|less|grep|egrep)(?: |$)/;

/** The entities an HTML page escapes text with (a web console's log view copied as shown), and what they stand for. */
const HTML_ENTITY = /&(?:quot|lt|gt|amp|apos|#39|#x27|#34);/g;
const HTML_CHAR: Record<string, string> = { '&quot;': '"', '&lt;': '<', '&gt;': '>', '&amp;': '&', '&apos;': "'", '&#39;': "'", '&#x27;': "'", '&#34;': '"' };

/** Whether an entity of HTML_ENTITY starts at i (text[i] is `&`): character checks, no regex. */
function entityAt(text: string, i: number): boolean {
  const a = text.charCodeAt(i + 1);
  if (a === 113) return text.startsWith('quot;', i + 1); // q
  if (a === 108 || a === 103) return text.charCodeAt(i + 2) === 116 && text.charCodeAt(i + 3) === 59; // lt; gt;
  if (a === 97) return text.startsWith('amp;', i + 1) || text.startsWith('apos;', i + 1);
  if (a === 35) return text.startsWith('39;', i + 2) || text.startsWith('x27;', i + 2) || text.startsWith('34;', i + 2);
  return false;
}

/** The text with HTML's entities read back, when it holds one (a `&` in a URL's query alone changes nothing). */
function htmlUnescaped(text: string): string {
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    if (entityAt(text, i)) return text.replace(HTML_ENTITY, (e) => HTML_CHAR[e]!);
  }
  return text;
}

export class Unwrapper {
  private partial = '';
  private partialWrapper: WrapperId | null = null;
  /** The answer of unwrap(), reused: it is read at once, and this runs for every candidate line. */
  private readonly out: { text: string | null; wrapper: WrapperId | null } = { text: null, wrapper: null };
  /**
   * A line began with a host's time (§W13) not followed by a level word: from then on the time is peeled before any such
   * line, so that a crash block's frames, a Go panic and an untimed access line behind it are read as they are — with as
   * many spaces as that first line had after it (0: none seen yet).
   */
  private hostTimeSpaces = 0;
  /** The pod-and-container prefixes peeled before a gateway line: from then on, peeled before any line (§W13). */
  private readonly podPrefixes: string[] = [];
  /** How this input's lines are numbered, once learnt (§W19), and the last number peeled; the last seen, to learn it. */
  private numbering = Numbering.None;
  private lastNumber = 0;
  private seenNumbering = Numbering.None;
  private seenNumber = 0;

  /** The line without its wrappers. The object returned is valid until the next call. */
  unwrap(line: string): Unwrapped {
    const out = this.out;
    let text = line;
    let wrapper: WrapperId | null = null;
    // Outermost, what the page or tool that showed the log did to all of it: HTML's entities, the listing's numbers.
    const c0 = text.charCodeAt(0);
    if ((c0 === 36 || c0 === 35) && text.charCodeAt(1) === 32) {
      if (SHELL_PROMPT.test(text)) {
        out.text = null;
        out.wrapper = 'prompt';
        return out;
      }
    }
    if (text.indexOf('&') >= 0) {
      const unescaped = htmlUnescaped(text);
      if (unescaped !== text) {
        text = unescaped;
        wrapper = 'html';
      }
    }
    if ((c0 >= 49 && c0 <= 57) || c0 === 32) {
      const rest = this.numbered(text);
      if (rest !== null) {
        text = rest;
        wrapper ??= 'line-number';
      }
    }
    // Wrappers can stack (kubectl --prefix --timestamps; logcli's time and labels around a quote of a table row); peel at most four.
    for (let i = 0; i < 4; i++) {
      const w = this.peel(text);
      if (!w) break;
      if (w.text === null) {
        // A box border: nothing of the log is on this line.
        out.text = null;
        out.wrapper = w.wrapper;
        return out;
      }
      wrapper ??= w.wrapper;
      if (w.partial) {
        if (this.partial.length < MAX_PARTIAL) this.partial += w.text;
        this.partialWrapper = w.wrapper;
        out.text = null;
        out.wrapper = w.wrapper;
        return out;
      }
      text = w.text;
      if (w.wrapper === 'docker-json' || w.wrapper === 'cri') break;
    }
    if (this.partial) {
      text = this.partial + text;
      wrapper = this.partialWrapper;
      this.partial = '';
      this.partialWrapper = null;
    }
    out.text = text;
    out.wrapper = wrapper;
    return out;
  }

  /**
   * The line without the number a listing put before it, or null when it has none to peel. A numbering is learnt from
   * a numbered line the parser reads, from line 1 of a listing, or from two lines numbered one after the other; from
   * then on a number of that kind is peeled when it is past the last one (`grep -n` skips lines).
   */
  private numbered(text: string): string | null {
    const kind = lineNumberAt(text);
    if (kind === Numbering.None) return null;
    const n = lineNumberValue;
    const end = lineNumberEnd;
    if (this.numbering === Numbering.None) {
      const follows = kind === this.seenNumbering && n === this.seenNumber + 1;
      this.seenNumbering = kind;
      this.seenNumber = n;
      const rest = text.slice(end);
      // A grep context line's dash is only read once the listing is known to be grep's.
      if (kind === Numbering.GrepN && text.charCodeAt(end - 1) === 45) return null;
      if (!follows && n !== 1 && !readLine(rest)) return null;
      this.numbering = kind;
      this.lastNumber = n;
      return rest;
    }
    if (kind !== this.numbering || n <= this.lastNumber) return null;
    this.lastNumber = n;
    return text.slice(end);
  }

  /** Text of a partial piece still waiting at the end of input. */
  flush(): Unwrapped | null {
    if (!this.partial) return null;
    const out = { text: this.partial, wrapper: this.partialWrapper };
    this.partial = '';
    this.partialWrapper = null;
    return out;
  }

  private peel(text: string): { text: string | null; wrapper: WrapperId; partial: boolean } | null {
    const c = text.charCodeAt(0);
    // A markdown quote (`> ` before every line of a log pasted into an issue, docs/formats.md §W8): peeled like a
    // collector's prefix, so that a crash block's `> #` lines and a heap dump's `>     30 pages …` stay what they are.
    if (c === 62) return { text: text.slice(text.charCodeAt(1) === 32 ? 2 : 1), wrapper: 'quote', partial: false };
    if (c === 34 || c === 32 || c === 9) {
      const payload = textPayload(text);
      if (payload !== undefined) return { text: payload, wrapper: 'json-envelope', partial: false };
    }
    if (c === 34) {
      const line = csvRow(text);
      if (line !== undefined) return { text: line, wrapper: 'csv', partial: false };
    }
    if (c === 124 || c === 32 || c === 45) {
      let first = 0;
      while (text.charCodeAt(first) === 32) first++;
      const f = text.charCodeAt(first);
      // A quote indented with its list item (`   > line`).
      if (f === 62 && first > 0 && (first === text.length - 1 || text.charCodeAt(first + 1) === 32)) return { text: text.slice(first + 2), wrapper: 'quote', partial: false };
      if (f === 124) {
        const row = tableRow(text, first);
        if (row !== undefined) return { text: row, wrapper: 'table', partial: false };
      } else if (f === 45 && text.includes('|') && TABLE_SEPARATOR.test(text)) return { text: null, wrapper: 'table', partial: false };
    }
    // The box is outermost (it is drawn around whatever the viewer shows): a line can only end in its border.
    if (c >= 0x2500 || text.charCodeAt(text.length - 1) >= 0x2500 || text.charCodeAt(text.length - 1) === 32) {
      const inner = unbox(text);
      if (inner !== undefined) return { text: inner, wrapper: 'box', partial: false };
    }
    if (c === 123 && text.charCodeAt(1) !== 34) {
      // Loki's stream labels before the line (logcli's default output, after its time): `{container="envoy", …} <line>`.
      const labels = LOKI_LABELS.exec(text);
      return labels ? { text: text.slice(labels[0].length), wrapper: 'loki-labels', partial: false } : null;
    }
    if (c === 123 && DOCKER_JSON.test(text)) {
      try {
        const obj = JSON.parse(text) as { log?: unknown };
        if (typeof obj.log === 'string') {
          const partial = !obj.log.endsWith('\n');
          const inner = partial ? obj.log : obj.log.slice(0, obj.log.endsWith('\r\n') ? -2 : -1);
          return { text: inner, wrapper: 'docker-json', partial };
        }
      } catch {
        // A cut or damaged json-file line: leave it to the layouts (it will count as unparsed).
      }
      return null;
    }
    if (c === 91) {
      if (text.charCodeAt(1) !== 112) return null; // `[pod/`
      const m = KUBECTL_PREFIX.exec(text);
      return m ? { text: text.slice(m[0].length), wrapper: 'kubectl-prefix', partial: false } : null;
    }
    if (c >= 48 && c <= 57) {
      if (text.charCodeAt(10) === 32) {
        const ht = HOST_TIME.exec(text);
        if (ht === null) return null;
        // The spaces after the time: as many as the first such line had are the prefix's, the rest the line's own (an
        // indented continuation, a JSON object's members).
        const spaces = ht[0].length - ht[1]!.length;
        const own = text.slice(ht[0].length);
        if (LEVEL_WORD.test(own)) return null;
        const seen = this.hostTimeSpaces > 0;
        if (!seen) this.hostTimeSpaces = spaces;
        const rest = text.slice(ht[1]!.length + Math.min(spaces, this.hostTimeSpaces));
        // Before a gateway line; else from the second line in this shape on (the first may be a crash block's).
        return seen || GATEWAY_START.test(own) ? { text: rest, wrapper: 'host-time', partial: false } : null;
      }
      // Both put one space after the timestamp; Istio's own lines have a TAB there.
      if (text.charCodeAt(spaceAfterTimestamp(text)) !== 32) return null;
      const cri = CRI.exec(text);
      if (cri) return { text: text.slice(cri[0].length), wrapper: 'cri', partial: cri[1] === 'P' };
      const ts = KUBECTL_TS.exec(text);
      if (ts) return { text: text.slice(ts[0].length), wrapper: 'kubectl-timestamps', partial: false };
      return null;
    }
    if (c >= 65 && c <= 83) {
      const j = JOURNALD.exec(text);
      if (j && (!HOST_PROGRAMS.test(j[1]!) || GATEWAY_START.test(text.slice(j[0].length)))) return { text: text.slice(j[0].length), wrapper: 'journald', partial: false };
    }
    const m = COMPOSE.exec(text);
    if (m && !/^\d/.test(text)) return { text: text.slice(m[0].length), wrapper: 'compose', partial: false };
    if (c >= 97 && c <= 122) {
      for (const p of this.podPrefixes) if (text.startsWith(p)) return { text: text.slice(p.length), wrapper: 'pod-container', partial: false };
      let pc = POD_CONTAINER.exec(text);
      if (pc === null || !lineAfterNames(text.slice(pc[0].length))) pc = CONTAINER.exec(text);
      if (pc && lineAfterNames(text.slice(pc[0].length))) {
        if (this.podPrefixes.length < MAX_POD_PREFIXES) this.podPrefixes.push(pc[0]);
        return { text: text.slice(pc[0].length), wrapper: 'pod-container', partial: false };
      }
    }
    return null;
  }
}
