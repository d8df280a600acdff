// The newest warning/error lines as read (escape sequences already stripped, cut to the width).
import { Box, Text } from 'ink';
import type { RecentStripView } from './view.js';

export interface RecentLinesProps {
  readonly view: RecentStripView;
}

const levelColor = (level: string | null): string | undefined =>
  level === 'critical' ? 'redBright' : level === 'error' ? 'red' : level === 'warning' ? 'yellow' : undefined;

export function RecentLines({ view }: RecentLinesProps) {
  return (
    <Box flexDirection="column" width={view.width} height={view.height} flexShrink={0} overflow="hidden">
      <Text dimColor wrap="truncate-end">
        {view.rule}
      </Text>
      {view.lines.map((l, n) => (
        <Text key={n} wrap="truncate-end">
          <Text dimColor>{l.loc}</Text>
          {'  '}
          <Text color={levelColor(l.level)}>{l.text}</Text>
        </Text>
      ))}
    </Box>
  );
}
