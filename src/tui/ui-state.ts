// What the operator controls on the live screen, and the pure reducer that applies one key press to it.
// The Ink App owns this state; side effects (quit, export) come back as values for it to carry out.
import { SEVERITY_RANK, type Severity } from '../model.js';

export interface UiMessage {
  readonly text: string;
  readonly tone: 'info' | 'error';
  readonly at: number;
}

export interface Cleared {
  readonly at: number;
  /** Count of every incident at the moment of the clear; only what comes after is shown. */
  readonly counts: Readonly<Record<string, number>>;
}

export interface UiState {
  readonly selectedId: string | null;
  /** Index to fall back to when the selected incident leaves the visible list (filter, clear). */
  readonly selectedIndex: number;
  readonly detailOpen: boolean;
  /** First line of the detail pane shown (PgUp/PgDn, J/K); back to 0 when the selection or the pane changes. */
  readonly detailScroll: number;
  /** Applied text filter (case-insensitive substring of cause, title, subject, category, id). */
  readonly filter: string;
  /** While `/` is being typed: the draft, applied live. */
  readonly filterDraft: string | null;
  readonly minSeverity: Severity;
  /** Wall-clock ms the screen was paused at, or null. Reading continues while paused. */
  readonly pausedAt: number | null;
  readonly help: boolean;
  readonly cleared: Cleared | null;
  readonly message: UiMessage | null;
}

export const INITIAL_UI: UiState = {
  selectedId: null,
  selectedIndex: 0,
  detailOpen: false,
  detailScroll: 0,
  filter: '',
  filterDraft: null,
  minSeverity: 'info',
  pausedAt: null,
  help: false,
  cleared: null,
  message: null,
};

/** The subset of Ink's key object the reducer reads (kept small so tests can build it). */
export interface KeyInfo {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly tab?: boolean;
}

export interface KeyContext {
  readonly now: number;
  /** Ids of the incidents listed under a given UI state (filter and severity change it), in order. */
  readonly visibleIds: (ui: UiState) => readonly string[];
  /** Rows the list shows at once (for page up/down). */
  readonly pageSize: number;
  /** Lines the detail pane shows at once, and how far it can scroll (0: everything fits). */
  readonly detailPageSize?: number;
  readonly detailMaxScroll?: number;
  /** Current count of every incident (for `c`). */
  readonly counts: () => Readonly<Record<string, number>>;
}

export type Effect = 'quit' | 'export' | null;

export interface KeyResult {
  readonly ui: UiState;
  readonly effect: Effect;
}

const SEVERITY_CYCLE: readonly Severity[] = ['info', 'warning', 'error', 'critical'];

export function nextSeverity(s: Severity): Severity {
  return SEVERITY_CYCLE[(SEVERITY_CYCLE.indexOf(s) + 1) % SEVERITY_CYCLE.length]!;
}

export function atLeast(s: Severity, min: Severity): boolean {
  return SEVERITY_RANK[s] >= SEVERITY_RANK[min];
}

/** Index of the selected incident in the visible list (falls back to the remembered index, clamped). */
export function selectedIndexIn(ui: UiState, ids: readonly string[]): number {
  if (ids.length === 0) return -1;
  const at = ui.selectedId === null ? -1 : ids.indexOf(ui.selectedId);
  if (at >= 0) return at;
  return Math.min(Math.max(0, ui.selectedIndex), ids.length - 1);
}

function select(ui: UiState, ids: readonly string[], index: number): UiState {
  if (ids.length === 0) return ui;
  const i = Math.min(Math.max(0, index), ids.length - 1);
  const scroll = ids[i] === ui.selectedId ? ui.detailScroll : 0;
  return { ...ui, selectedId: ids[i]!, selectedIndex: i, detailScroll: scroll };
}

/** Scroll the open detail pane by `by` lines, within what it holds. */
function scrollDetail(ui: UiState, by: number, ctx: KeyContext): UiState {
  const max = Math.max(0, ctx.detailMaxScroll ?? 0);
  return { ...ui, detailScroll: Math.min(max, Math.max(0, ui.detailScroll + by)) };
}

const say = (ui: UiState, text: string, now: number, tone: 'info' | 'error' = 'info'): UiState => ({
  ...ui,
  message: { text, tone, at: now },
});

/** Apply one key press. `input` is the typed text (Ink's first useInput argument). */
export function reduceKey(ui: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
  const none = (next: UiState): KeyResult => ({ ui: next, effect: null });
  // Ctrl-C quits from anywhere (raw mode turns it into a key press).
  if (key.ctrl && input === 'c') return { ui, effect: 'quit' };

  if (ui.filterDraft !== null) {
    if (key.return) return none({ ...ui, filter: ui.filterDraft.trim(), filterDraft: null });
    if (key.escape) return none({ ...ui, filterDraft: null });
    if (key.backspace || key.delete) return none({ ...ui, filterDraft: [...ui.filterDraft].slice(0, -1).join('') });
    if (key.ctrl && input === 'u') return none({ ...ui, filterDraft: '' });
    if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || !input) return none(ui);
    // Pasted text may carry control characters: keep printable ones only.
    const typed = input.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
    return none({ ...ui, filterDraft: (ui.filterDraft + typed).slice(0, 200) });
  }

  if (ui.help) {
    if (input === 'q') return { ui, effect: 'quit' };
    return none({ ...ui, help: false });
  }

  const ids = ctx.visibleIds(ui);
  const at = selectedIndexIn(ui, ids);
  if (key.upArrow || input === 'k') return none(select(ui, ids, at - 1));
  if (key.downArrow || input === 'j') return none(select(ui, ids, at + 1));
  // With the detail open, PgUp/PgDn page through it and J/K move it a line; else PgUp/PgDn page the list.
  const detailPage = Math.max(1, (ctx.detailPageSize ?? 1) - 1);
  if (ui.detailOpen && key.pageUp) return none(scrollDetail(ui, -detailPage, ctx));
  if (ui.detailOpen && key.pageDown) return none(scrollDetail(ui, detailPage, ctx));
  if (input === 'J') return none(ui.detailOpen ? scrollDetail(ui, 1, ctx) : ui);
  if (input === 'K') return none(ui.detailOpen ? scrollDetail(ui, -1, ctx) : ui);
  if (key.pageUp) return none(select(ui, ids, at - Math.max(1, ctx.pageSize - 1)));
  if (key.pageDown) return none(select(ui, ids, at + Math.max(1, ctx.pageSize - 1)));
  if (key.home || input === 'g') return none(select(ui, ids, 0));
  if (key.end || input === 'G') return none(select(ui, ids, ids.length - 1));
  if (key.return) return none(ids.length === 0 ? ui : select({ ...ui, detailOpen: !ui.detailOpen, detailScroll: 0 }, ids, at));
  if (key.escape) {
    if (ui.detailOpen) return none({ ...ui, detailOpen: false, detailScroll: 0 });
    if (ui.filter) return none(say({ ...ui, filter: '' }, 'filter removed', ctx.now));
    return none(ui);
  }
  switch (input) {
    case 'q':
      return { ui, effect: 'quit' };
    case '/':
      return none({ ...ui, filterDraft: ui.filter });
    case 's': {
      const min = nextSeverity(ui.minSeverity);
      return none(say({ ...ui, minSeverity: min }, min === 'info' ? 'showing every severity' : `showing ${min} and above`, ctx.now));
    }
    case 'p':
      return none(
        ui.pausedAt === null
          ? say({ ...ui, pausedAt: ctx.now }, 'screen paused; reading continues (p to resume)', ctx.now)
          : say({ ...ui, pausedAt: null }, 'resumed', ctx.now),
      );
    case 'e':
      return { ui, effect: 'export' };
    case 'c':
      return none(
        say(
          { ...ui, cleared: { at: ctx.now, counts: { ...ctx.counts() } } },
          'cleared: showing only what happens from now on (the export still has everything)',
          ctx.now,
        ),
      );
    case '?':
      return none({ ...ui, help: true });
    default:
      return none(ui);
  }
}

export interface InputResult {
  readonly ui: UiState;
  readonly effects: readonly Effect[];
}

const NO_KEY: KeyInfo = {};

/**
 * Apply what one read from the terminal delivered. Ink hands over a multi-character chunk (typing ahead, a
 * paste, tmux send-keys) as one input: each character is a key press of its own here, so `jjj` moves three rows
 * and `/crash⏎` filters.
 */
export function reduceInput(ui: UiState, input: string, key: KeyInfo, ctx: KeyContext): InputResult {
  const chars = [...input];
  if (chars.length <= 1 || key.ctrl || key.meta) {
    const r = reduceKey(ui, input, key, ctx);
    return { ui: r.ui, effects: r.effect ? [r.effect] : [] };
  }
  let cur = ui;
  const effects: Effect[] = [];
  for (const ch of chars) {
    const r =
      ch === '\r' || ch === '\n'
        ? reduceKey(cur, '', { return: true }, ctx)
        : ch === '\x7f' || ch === '\b'
          ? reduceKey(cur, '', { backspace: true }, ctx)
          : reduceKey(cur, ch, NO_KEY, ctx);
    cur = r.ui;
    if (r.effect) {
      effects.push(r.effect);
      if (r.effect === 'quit') break;
    }
  }
  return { ui: cur, effects };
}
