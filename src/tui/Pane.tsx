// The frame every pane of the screen shares: a box of fixed size that clips what does not fit,
// under an optional dim rule line (the pane's title bar).
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';

export interface PaneProps {
  readonly width: number;
  readonly height: number;
  readonly rule?: string;
  readonly children?: ReactNode;
}

export function Pane({ width, height, rule, children }: PaneProps) {
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0} overflow="hidden">
      {rule === undefined ? null : (
        <Text dimColor wrap="truncate-end">
          {rule}
        </Text>
      )}
      {children}
    </Box>
  );
}
