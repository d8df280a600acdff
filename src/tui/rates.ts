// Per-incident history kept between snapshots: occurrences per 10-second bucket (for the sparkline), when the
// incident first showed up and when it last changed (for the "new" / "+N" marks), and which incidents changed
// since the previous snapshot (for the text and ndjson lines). The diagnoser only knows totals; the increase
// between two snapshots is attributed to the bucket of the later one.
import type { Incident } from '../model.js';

export const BUCKET_MS = 10_000;
/** Buckets kept per incident: 5 minutes. */
export const BUCKETS_KEPT = 30;
/** How long a burst of changes is summed into one `+N` mark. */
export const CHANGE_WINDOW_MS = 5_000;

export interface IncidentHistory {
  /** Wall-clock ms of the snapshot the incident first appeared in. */
  readonly firstShownAt: number;
  /** Wall-clock ms of its last change (count, severity, confidence, title, root). */
  readonly changedAt: number;
  /** Count before the current burst of changes began: `count - markBase` is the `+N` shown. */
  readonly markBase: number;
}

export interface IncidentChange {
  readonly kind: 'new' | 'updated';
  readonly incident: Incident;
  /** Count in the previous snapshot (0 for new incidents). */
  readonly previousCount: number;
}

interface State {
  count: number;
  severity: string;
  confidence: number;
  title: string;
  rootOf: string | null;
  firstShownAt: number;
  changedAt: number;
  markBase: number;
  /** Occurrences by absolute bucket number (time / BUCKET_MS). */
  hist: Map<number, number>;
}

export class RateTracker {
  private readonly states = new Map<string, State>();

  /** Record a snapshot taken at `now`; returns what changed since the previous one, in the snapshot's order. */
  update(incidents: readonly Incident[], now: number): IncidentChange[] {
    const bucket = Math.floor(now / BUCKET_MS);
    const changes: IncidentChange[] = [];
    for (const inc of incidents) {
      let st = this.states.get(inc.id);
      if (!st) {
        st = {
          count: 0,
          severity: inc.severity,
          confidence: inc.confidence,
          title: inc.title,
          rootOf: inc.rootOf,
          firstShownAt: now,
          changedAt: now,
          markBase: 0,
          hist: new Map(),
        };
        this.states.set(inc.id, st);
        changes.push({ kind: 'new', incident: inc, previousCount: 0 });
      } else if (
        inc.count !== st.count ||
        inc.severity !== st.severity ||
        inc.confidence !== st.confidence ||
        inc.title !== st.title ||
        inc.rootOf !== st.rootOf
      ) {
        if (now - st.changedAt > CHANGE_WINDOW_MS) st.markBase = st.count;
        st.changedAt = now;
        changes.push({ kind: 'updated', incident: inc, previousCount: st.count });
      }
      const delta = inc.count - st.count;
      if (delta > 0) {
        st.hist.set(bucket, (st.hist.get(bucket) ?? 0) + delta);
        if (st.hist.size > BUCKETS_KEPT) {
          for (const b of st.hist.keys()) if (b <= bucket - BUCKETS_KEPT) st.hist.delete(b);
        }
      }
      st.count = inc.count;
      st.severity = inc.severity;
      st.confidence = inc.confidence;
      st.title = inc.title;
      st.rootOf = inc.rootOf;
    }
    return changes;
  }

  history(id: string): IncidentHistory | null {
    const st = this.states.get(id);
    return st ? { firstShownAt: st.firstShownAt, changedAt: st.changedAt, markBase: st.markBase } : null;
  }

  /** The last `n` buckets ending with the one holding `now`, oldest first; `since` zeroes buckets before it. */
  buckets(id: string, now: number, n: number, since = -Infinity): number[] {
    const st = this.states.get(id);
    const last = Math.floor(now / BUCKET_MS);
    const first = Math.floor(since / BUCKET_MS);
    const out: number[] = [];
    for (let b = last - n + 1; b <= last; b++) out.push(st && b >= first ? (st.hist.get(b) ?? 0) : 0);
    return out;
  }
}
