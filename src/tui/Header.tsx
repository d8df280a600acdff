// Two lines on top: source, state, lines read, lines/s, lag; then incident counts and what the view hides.
import { Box } from 'ink';
import { SegmentLine } from './SegmentLine.js';
import type { HeaderView } from './view.js';

export interface HeaderProps {
  readonly view: HeaderView;
}

export function Header({ view }: HeaderProps) {
  return (
    <Box flexDirection="column" width={view.width} height={2} flexShrink={0}>
      <SegmentLine segments={view.line1} />
      <SegmentLine segments={view.line2} />
    </Box>
  );
}
