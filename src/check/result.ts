// What one check says: the JSON contract of `check --format json` (docs/check.md). Fields may be
// added, never renamed; every renderer is a pure function of a list of these.
import type { CauseId } from '../model.js';

export type CheckKind = 'pattern' | 'url' | 'module' | 'oci';

/** `warning`: works, but with a caveat worth reading; `error`: the gateway would fail. */
export type CheckSeverity = 'ok' | 'warning' | 'error';

export interface CheckResult {
  readonly kind: CheckKind;
  /** The URL, file, reference or pattern checked (credentials removed). */
  readonly target: string;
  readonly plugin: string | null;
  readonly ok: boolean;
  readonly severity: CheckSeverity;
  /** A cause id of docs/contracts.md#cause-ids when not ok, else null. */
  readonly cause: CauseId | null;
  /** One line: what was found. */
  readonly title: string;
  /** Next steps, most useful first. */
  readonly remediation: readonly string[];
  readonly details: Readonly<Record<string, unknown>>;
}

/** A fault found on the way; the first one ends the check it belongs to. */
export class Fault extends Error {
  constructor(
    readonly causeId: CauseId,
    message: string,
    readonly remediation: readonly string[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A local file named on the command line that cannot be read (exit 2, like an unreadable log). */
export class UnreadableInput extends Error {}

/** Loopback names and addresses: the ones the gateway never reaches through a proxy. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(h) || h === '::1';
}

/** A URL for display: as given, without a user:password part. */
export function displayUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
}
