// Where a match stands (its physical line), and the lazy finding of a context pattern.
import type { Finding, LogEvent, Signal } from '../model.js';
import type { Fields } from './fields.js';
import { fillTemplate } from './templates.js';

/** The physical line a match at `index` of the message stands on, and its text. */
export function lineOf(e: LogEvent, message: string, index: number): { line: number; text: string } {
  const line = e.lineMap?.[countNewlines(message, index)] ?? e.line;
  const idx = e.lineNumbers.indexOf(line);
  const physical = e.lines[idx < 0 ? 0 : idx] ?? '';
  // A folded scalar spans several physical lines: a one-line event (every access entry) has none to look for.
  return { line, text: e.lines.length > 1 ? foldedText(message, index, physical) : physical };
}

/**
 * A YAML scalar the assembler folded from this line and the ones after it (parse/assemble.ts foldYamlScalars)
 * is shown as the one line it reads as, so the evidence holds all of it; any other line as it was written.
 */
function foldedText(message: string, index: number, physical: string): string {
  if (physical.length === 0) return physical;
  const start = index > 0 ? message.lastIndexOf('\n', index - 1) + 1 : 0;
  const nl = message.indexOf('\n', index);
  const end = nl < 0 ? message.length : nl;
  if (end - start <= physical.length) return physical;
  const folded = message.slice(start, end);
  return folded.startsWith(physical.trimEnd()) ? folded : physical;
}

function countNewlines(s: string, end: number): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0 && i < end; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * A finding of a context pattern: same content as any finding, but fields, title, explanation and
 * evidence line are built on first read (most are never read). Plain data when serialised.
 */
export class ContextFinding implements Finding {
  readonly role = 'context' as const;
  readonly tier = 'exact' as const;
  private shownFields: Record<string, string> | null = null;
  private filledTitle: string | null = null;
  private filledExplanation: string | null = null;
  private where: { line: number; text: string } | null = null;

  constructor(
    readonly patternId: string,
    readonly consequenceOf: Finding['consequenceOf'],
    readonly minCount: number | undefined,
    readonly cause: Finding['cause'],
    readonly severity: Finding['severity'],
    readonly confidence: number,
    readonly alternatives: Finding['alternatives'],
    readonly subject: Record<string, string>,
    readonly event: LogEvent,
    readonly remediation: readonly string[],
    readonly signals: readonly Signal[],
    private readonly raw: Fields,
    private readonly titleTemplate: string,
    private readonly explanationTemplate: string,
    private readonly message: string,
    private readonly index: number,
    readonly harmless: boolean,
  ) {}

  get fields(): Record<string, string> {
    return (this.shownFields ??= this.raw.shown());
  }

  get title(): string {
    return (this.filledTitle ??= fillTemplate(this.titleTemplate, this.raw));
  }

  get explanation(): string {
    return (this.filledExplanation ??= fillTemplate(this.explanationTemplate, this.raw));
  }

  get line(): number {
    return (this.where ??= lineOf(this.event, this.message, this.index)).line;
  }

  get text(): string {
    return (this.where ??= lineOf(this.event, this.message, this.index)).text;
  }

  /** The same keys, in the same order, as any other finding. */
  toJSON(): Finding {
    return {
      patternId: this.patternId,
      cause: this.cause,
      severity: this.severity,
      confidence: this.confidence,
      alternatives: this.alternatives,
      fields: this.fields,
      subject: this.subject,
      title: this.title,
      role: this.role,
      tier: this.tier,
      signals: this.signals,
      consequenceOf: this.consequenceOf,
      minCount: this.minCount,
      event: this.event,
      line: this.line,
      text: this.text,
      explanation: this.explanation,
      remediation: this.remediation,
      ...(this.harmless ? { harmless: true } : {}),
    };
  }
}
