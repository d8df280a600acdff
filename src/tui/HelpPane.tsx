// The key bindings, shown in place of the list while `?` is on.
import { Box, Text } from 'ink';
import type { HelpView } from './view.js';

export interface HelpPaneProps {
  readonly view: HelpView;
}

export function HelpPane({ view }: HelpPaneProps) {
  return (
    <Box flexDirection="column" width={view.width} height={view.height} flexShrink={0} overflow="hidden">
      <Text dimColor wrap="truncate-end">
        {view.rule}
      </Text>
      {view.lines.map((l) => (
        <Text key={l.keys} wrap="truncate-end">
          <Text color="cyan" bold>
            {`  ${l.keys}`.padEnd(14)}
          </Text>
          {l.text}
        </Text>
      ))}
    </Box>
  );
}
