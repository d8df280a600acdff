// The selected incident in full: title, cause and confidence, alternatives, evidence (input:line), remediation.
import { Box, Text } from 'ink';
import { DetailRow } from './DetailRow.js';
import { SEVERITY_COLOR } from './format.js';
import type { DetailView } from './view.js';

export interface DetailPaneProps {
  readonly view: DetailView;
}

export function DetailPane({ view }: DetailPaneProps) {
  const color = SEVERITY_COLOR[view.severity];
  return (
    <Box flexDirection="column" width={view.width} height={view.height} flexShrink={0} overflow="hidden">
      <Text dimColor wrap="truncate-end">
        {view.rule}
      </Text>
      {view.lines.map((line, n) => (
        <DetailRow key={n} line={line} color={color} />
      ))}
    </Box>
  );
}
