// The fields of a finding: the implicit ones every event offers (compiled.ts IMPLICIT_FIELDS),
// then the regex's named groups and the derived ones.
import type { LogEvent } from '../model.js';

/**
 * The fields of one finding: implicit ones, named groups, derived ones, in the order they were set.
 * Parallel arrays rather than an object: building, copying and listing a small object with
 * varying keys per finding (spread, for-in) cost microseconds each on the hot path.
 */
export class Fields {
  /** Shared with other Fields until a key is added (then copied). */
  private keys: readonly string[];
  private ownKeys = false;

  constructor(
    keys: readonly string[],
    readonly values: string[],
    /** How many of the keys are the implicit ones (IMPLICIT_KEYS or ACCESS_KEYS, in that order). */
    private readonly base: number = keys.length,
  ) {
    this.keys = keys;
  }

  get(k: string): string | undefined {
    const i = this.keys.indexOf(k);
    return i < 0 ? undefined : this.values[i];
  }

  set(k: string, v: string): void {
    const i = this.keys.indexOf(k);
    if (i >= 0) {
      this.values[i] = v;
      return;
    }
    if (!this.ownKeys) {
      this.keys = this.keys.slice();
      this.ownKeys = true;
    }
    (this.keys as string[]).push(k);
    this.values.push(v);
  }

  copy(): Fields {
    return new Fields(this.keys, this.values.slice(), this.base);
  }

  /**
   * The fields a finding shows: all but the message, in order. The implicit ones come first and
   * are built as a literal (one shape, fast); the regex's and derived ones are added after.
   */
  shown(): Record<string, string> {
    const v = this.values;
    const access = this.base === ACCESS_KEYS.length;
    const out: Record<string, string> = access
      ? { level: v[1]!, logger: v[2]!, layout: v[3]!, kind: v[4]!, thread: v[5]!, code: v[6]!, flags: v[7]!, details: v[8]!, cluster: v[9]!, upstream_host: v[10]!, transport_failure: v[11]!, route: v[12]!, authority: v[13]! }
      : { level: v[1]!, logger: v[2]!, layout: v[3]!, kind: v[4]!, thread: v[5]! };
    const keys = this.keys;
    for (let i = this.base; i < keys.length; i++) if (keys[i] !== 'message') out[keys[i]!] = v[i]!;
    return out;
  }
}

const IMPLICIT_KEYS = ['message', 'level', 'logger', 'layout', 'kind', 'thread'];
const ACCESS_KEYS = [...IMPLICIT_KEYS, 'code', 'flags', 'details', 'cluster', 'upstream_host', 'transport_failure', 'route', 'authority'];

export function implicitFields(e: LogEvent, message: string): Fields {
  const a = e.access;
  if (!a) return new Fields(IMPLICIT_KEYS, [message, e.level ?? '', e.logger ?? '', e.layout, e.kind ?? '', e.thread ?? '']);
  return new Fields(ACCESS_KEYS, [
    message,
    e.level ?? '',
    e.logger ?? '',
    e.layout,
    e.kind ?? '',
    e.thread ?? '',
    a.code,
    a.flags,
    a.details,
    a.cluster,
    a.upstreamHost,
    a.transportFailure,
    a.route,
    a.authority,
  ]);
}
