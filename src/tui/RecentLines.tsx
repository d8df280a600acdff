// The newest warning/error lines as read (escape sequences already stripped, cut to the width).
import { Text } from 'ink';
import { Pane } from './Pane.js';
import type { RecentStripView } from './view.js';

export interface RecentLinesProps {
  readonly view: RecentStripView;
}

const levelColor = (level: string | null): string | undefined =>
  level === 'critical' ? 'redBright' : level === 'error' ? 'red' : level === 'warning' ? 'yellow' : undefined;

export function RecentLines({ view }: RecentLinesProps) {
  return (
    <Pane width={view.width} height={view.height} rule={view.rule}>
      {view.lines.map((l, n) => (
        <Text key={n} wrap="truncate-end">
          <Text dimColor>{l.loc}</Text>
          {'  '}
          <Text color={levelColor(l.level)}>{l.text}</Text>
        </Text>
      ))}
    </Pane>
  );
}
