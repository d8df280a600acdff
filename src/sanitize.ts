// Display sanitising for untrusted log text. Logs can carry terminal escape sequences (colour, cursor moves,
// window titles, OSC 8 hyperlinks, device control strings) written by anyone who can reach the gateway; a report
// or the TUI must never let them act. Everything here is a pure string function.
//
// Call order for report strings: `stripControls` first, then the redactor (redact.ts): an escape sequence wedged
// into a secret (`10.0.\x1b[m0.1`) would otherwise hide it from the redaction patterns.

export interface StripOptions {
  /**
   * Keep `\n` (and turn `\r\n` into `\n`) for multi-line blocks the caller lays out itself. Default false: a
   * newline is shown as `␊`, so one log line stays one display line.
   */
  readonly keepNewlines?: boolean;
}

// One pass, longest forms first; whatever an alternative cannot explain falls through to the single-character
// classes at the end, so every ESC, C0 and C1 character is consumed by some alternative.
//  - CSI: ESC [ or 8-bit 0x9B, parameter bytes 0x30–0x3F, intermediates 0x20–0x2F, final 0x40–0x7E.
//  - OSC: ESC ] or 0x9D, ended by BEL, ST (ESC \) or 8-bit ST 0x9C — covers titles and OSC 8 hyperlinks.
//  - DCS / SOS / PM / APC: ESC P, X, ^, _ or 0x90, 0x98, 0x9E, 0x9F, ended like OSC (xterm also accepts BEL).
//  - nF (ESC + intermediates + final, e.g. charset `ESC ( B`, `ESC # 8` screen fill) and two-character ESC
//    sequences (`ESC c` reset, `ESC 7`/`ESC 8`, `ESC M`, …).
//  - String payloads stop at a newline: an OSC whose terminator never comes must not swallow the lines after it.
//  - An unterminated string or CSI loses only its introducer (the ESC + next char, via the two-character rule):
//    its payload stays visible as text, which is harmless once the ESC is gone and hides nothing from the reader.
//  - Bidi embedding/override/isolate controls (U+202A–202E, U+2066–2069) reorder what the reader sees
//    ("Trojan Source"); lone surrogates are not text.
const CONTROL_RE =
  /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)|\x1b[ -/]+[0-~]|\x1b[0-~]|[\x00-\x08\x0a-\x1f\x7f-\x9f]|[\u202a-\u202e\u2066-\u2069]|[\ud800-\udfff]/gu;

/** Quick test so clean text (the common case) is returned without allocating. */
const NEEDS_WORK_RE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;

/**
 * Removes every terminal escape sequence and makes every other control character visible and inert:
 * C0 controls (except TAB) and DEL become their Control Pictures symbol (NUL → `␀`, BEL → `␇`, a lone ESC → `␛`,
 * `\n` → `␊` unless `keepNewlines`), a CR that ends a line (CRLF files) is dropped, lone C1 controls
 * (U+0080–U+009F, e.g. NEL) and lone surrogates become U+FFFD, bidi overrides are dropped. Printable Unicode
 * (CJK included) is untouched. Idempotent: the output contains nothing the function would change.
 */
export function stripControls(text: string, options: StripOptions = {}): string {
  if (typeof text !== 'string') return '';
  if (!NEEDS_WORK_RE.test(text)) return text;
  const keepNewlines = options.keepNewlines === true;
  return text.replace(CONTROL_RE, (match: string, offset: number, whole: string): string => {
    if (match.length > 1) {
      // A surrogate pair never reaches here (the `u` flag matches pairs as one code point outside the class),
      // so a multi-unit match is always an escape sequence.
      return '';
    }
    const code = match.charCodeAt(0);
    if (code === 0x0a) return keepNewlines ? '\n' : '\u240a';
    if (code === 0x0d) {
      const next = whole.charCodeAt(offset + 1);
      // CRLF and a CR at the very end are line-ending noise, not content.
      if (next === 0x0a || Number.isNaN(next)) return '';
      return '\u240d';
    }
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    if (code >= 0x202a && code <= 0x2069) return '';
    return '\ufffd';
  });
}

/**
 * Cuts `text` to at most `maxChars` code points, ending with `…` when something was cut. Counts code points, not
 * UTF-16 units, so a surrogate pair (emoji, rare CJK) is never split. Display width (CJK is two columns) is the
 * caller's business.
 */
export function truncateDisplay(text: string, maxChars: number): string {
  if (typeof text !== 'string') return '';
  if (!Number.isFinite(maxChars)) return text;
  const max = Math.floor(maxChars);
  if (max <= 0) return '';
  // Code points never outnumber UTF-16 units.
  if (text.length <= max) return text;
  let points = 0;
  let cutAt = -1; // UTF-16 index after the first max-1 code points
  for (let i = 0; i < text.length; ) {
    if (points === max - 1) cutAt = i;
    if (points === max) return text.slice(0, cutAt) + '…';
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1));
    i += pair ? 2 : 1;
    points++;
  }
  return text; // exactly max code points or fewer
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
