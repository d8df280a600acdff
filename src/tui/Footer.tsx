// The bottom line: the filter being typed, a message (export path, mode changes), or the key hints.
import { Box } from 'ink';
import { SegmentLine } from './SegmentLine.js';
import type { FooterView } from './view.js';

export interface FooterProps {
  readonly view: FooterView;
}

export function Footer({ view }: FooterProps) {
  return (
    <Box width={view.width} height={1} flexShrink={0}>
      <SegmentLine segments={view.segments} />
    </Box>
  );
}
