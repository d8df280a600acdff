// `tail --kube`: one line per container stream — following, reconnecting, waiting for its container, queued,
// failed, ended — the ones that are not following first, so a stream never stops out of sight.
import { Text } from 'ink';
import { Pane } from './Pane.js';
import type { StreamLineView, StreamsStripView } from './view.js';

export interface StreamsStripProps {
  readonly view: StreamsStripView;
}

const TONE_COLOR: Record<StreamLineView['tone'], string | undefined> = { good: 'green', busy: 'yellow', bad: 'red', done: undefined };

export function StreamsStrip({ view }: StreamsStripProps) {
  return (
    <Pane width={view.width} height={view.height} rule={view.rule}>
      {view.lines.map((l, n) => (
        <Text key={n} wrap="truncate-end" dimColor={l.tone === 'done'}>
          <Text color={TONE_COLOR[l.tone]} bold={l.tone === 'bad'}>
            {l.mark}
          </Text>{' '}
          {l.text}
        </Text>
      ))}
    </Pane>
  );
}
