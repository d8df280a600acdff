// Counted words for every report and screen: `1 event`, `2 events` — never `1 events` or `line(s)`.

/** `n` and the word, singular for one (`plural` when the plural is not the word + s). */
export function counted(n: number, word: string, plural = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : plural}`;
}

/** A severity with its count: `1 critical`, `2 errors`, `3 warnings`, `1 info`. */
export function severityCount(n: number, severity: string): string {
  return severity === 'critical' || severity === 'info' ? `${n} ${severity}` : counted(n, severity);
}
