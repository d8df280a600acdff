// Minimal terminal styling for the text report: colour only when asked (a TTY without NO_COLOR).
import type { Severity } from '../model.js';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  severity(sev: Severity, s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export const PLAIN: Style = { bold: (s) => s, dim: (s) => s, severity: (_sev, s) => s };

export const COLOR: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  severity: (sev, s) => (sev === 'critical' ? wrap(91, 39)(wrap(1, 22)(s)) : sev === 'error' ? wrap(31, 39)(s) : sev === 'warning' ? wrap(33, 39)(s) : wrap(36, 39)(s)),
};

/** Colour when writing to a terminal, unless NO_COLOR is set (https://no-color.org). */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  return stream.isTTY && !env.NO_COLOR ? COLOR : PLAIN;
}
