// Collectors wrap each line: Docker's json-file driver, `kubectl logs --timestamps/--prefix`,
// CRI runtimes, `docker compose`. Unwrapping is stateful because Docker and CRI split long
// lines into partial pieces that must be joined again before the layout can be recognised.
import type { WrapperId } from '../model.js';

export interface Unwrapped {
  /** The line as the process wrote it, or null while a partial piece waits for its rest. */
  readonly text: string | null;
  readonly wrapper: WrapperId | null;
}

const KUBECTL_PREFIX = /^\[pod\/[^/\]\s]+\/[^\]\s]+\] /;
const CRI = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) (?:stdout|stderr) ([FP]) ?/;
// RFC3339Nano as kubectl prints it, one space, then the line (which must not be a level column).
// A second space is an Istio line whose TABs became spaces; a TAB after the one space is the line's
// own (a multi-error bullet, `\t* cannot fetch …`).
const KUBECTL_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) (?! |(?:trace|debug|info|warn|warning|error|critical|fatal)[\t ])/;
const COMPOSE = /^[A-Za-z0-9][\w.-]{0,62}\s*\| /;
const DOCKER_JSON = /^\{"log":"/;

const MAX_PARTIAL = 256 * 1024;

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

export class Unwrapper {
  private partial = '';
  private partialWrapper: WrapperId | null = null;
  /** The answer of unwrap(), reused: it is read at once, and this runs for every candidate line. */
  private readonly out: { text: string | null; wrapper: WrapperId | null } = { text: null, wrapper: null };

  /** The line without its wrappers. The object returned is valid until the next call. */
  unwrap(line: string): Unwrapped {
    const out = this.out;
    let text = line;
    let wrapper: WrapperId | null = null;
    // Wrappers can stack (kubectl --prefix --timestamps); peel at most three.
    for (let i = 0; i < 3; i++) {
      const w = this.peel(text);
      if (!w) break;
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

  /** Text of a partial piece still waiting at the end of input. */
  flush(): Unwrapped | null {
    if (!this.partial) return null;
    const out = { text: this.partial, wrapper: this.partialWrapper };
    this.partial = '';
    this.partialWrapper = null;
    return out;
  }

  private peel(text: string): { text: string; wrapper: WrapperId; partial: boolean } | null {
    const c = text.charCodeAt(0);
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
      // Both put one space after the timestamp; Istio's own lines have a TAB there.
      if (text.charCodeAt(spaceAfterTimestamp(text)) !== 32) return null;
      const cri = CRI.exec(text);
      if (cri) return { text: text.slice(cri[0].length), wrapper: 'cri', partial: cri[1] === 'P' };
      const ts = KUBECTL_TS.exec(text);
      if (ts) return { text: text.slice(ts[0].length), wrapper: 'kubectl-timestamps', partial: false };
      return null;
    }
    const m = COMPOSE.exec(text);
    if (m && !/^\d/.test(text)) return { text: text.slice(m[0].length), wrapper: 'compose', partial: false };
    return null;
  }
}
