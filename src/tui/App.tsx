// The top component of `tail`'s screen: owns the UI state (selection, filter, pause, …), takes frames from the
// store, turns key presses into state through the pure reducer, and renders one Screen view-model. Every other
// component only draws what it is given.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApp, useInput, useStdin, useStdout, type Key } from 'ink';
import { Screen } from './Screen.js';
import type { Frame } from './store.js';
import { INITIAL_UI, reduceInput, type UiState } from './ui-state.js';
import { buildScreen, visibleIncidents, type Dims } from './view.js';

/** Where frames come from (the LiveStore, or a fixed list in tests). */
export interface FrameSource {
  frame(): Frame;
  subscribe(fn: (f: Frame) => void): () => void;
}

export interface AppProps {
  readonly store: FrameSource;
  /** Writes the current diagnosis as redacted Markdown; returns where. Throws with a user-facing message. */
  readonly onExport: () => string;
  /** Wall clock (tests pass a fixed one). */
  readonly now?: () => number;
  /** Initial UI state (tests). */
  readonly initialUi?: UiState;
}

const dimsOf = (s: NodeJS.WriteStream): Dims => ({ columns: s.columns || 80, rows: s.rows || 24 });

export function App({ store, onExport, now = Date.now, initialUi = INITIAL_UI }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const { isRawModeSupported } = useStdin();
  const [live, setLive] = useState<Frame>(() => store.frame());
  const [frozen, setFrozen] = useState<Frame | null>(null);
  const [ui, setUi] = useState<UiState>(initialUi);
  const [dims, setDims] = useState<Dims>(() => dimsOf(stdout));
  // Key presses can arrive several per tick (paste, tmux send-keys): each must see the previous one's state.
  const uiRef = useRef(ui);
  const liveRef = useRef(live);
  const frozenRef = useRef(frozen);
  liveRef.current = live;

  useEffect(() => store.subscribe(setLive), [store]);
  useEffect(() => {
    const onResize = (): void => setDims(dimsOf(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);

  const shown = ui.pausedAt !== null && frozen ? frozen : live;
  const view = useMemo(() => buildScreen({ live, shown, ui, dims, now: now() }), [live, shown, ui, dims, now]);

  useInput(
    (input: string, key: Key) => {
      const cur = uiRef.current;
      const curShown = cur.pausedAt !== null && frozenRef.current ? frozenRef.current : liveRef.current;
      const at = now();
      const result = reduceInput(cur, input, key, {
        now: at,
        visibleIds: (u) => visibleIncidents(curShown, u).map((li) => li.incident.id),
        pageSize: view.pageSize,
        detailPageSize: view.detailPageSize,
        detailMaxScroll: view.detailMaxScroll,
        counts: () => Object.fromEntries(curShown.incidents.map((li) => [li.incident.id, li.incident.count])),
      });
      let next = result.ui;
      if (result.effects.includes('quit')) {
        exit();
        return;
      }
      if (result.effects.includes('export')) {
        try {
          const path = onExport();
          next = { ...next, message: { text: `exported the diagnosis (redacted) to ${path}`, tone: 'info', at } };
        } catch (e) {
          next = { ...next, message: { text: `export failed: ${(e as Error).message}`, tone: 'error', at } };
        }
      }
      if (next.pausedAt !== null && cur.pausedAt === null) {
        frozenRef.current = liveRef.current;
        setFrozen(liveRef.current);
      } else if (next.pausedAt === null && cur.pausedAt !== null) {
        frozenRef.current = null;
        setFrozen(null);
      }
      uiRef.current = next;
      setUi(next);
    },
    { isActive: isRawModeSupported },
  );

  return <Screen view={view} />;
}
