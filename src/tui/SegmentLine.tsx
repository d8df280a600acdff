// One screen line made of styled pieces, cut at the right edge (never wrapped: every pane has a fixed height).
import { Text } from 'ink';
import type { Segment } from './view.js';

export interface SegmentLineProps {
  /** Pieces already sanitised by the view-model. */
  readonly segments: readonly Segment[];
}

export function SegmentLine({ segments }: SegmentLineProps) {
  return (
    <Text wrap="truncate-end">
      {segments.map((s, n) => (
        <Text key={n} color={s.color} bold={s.bold} dimColor={s.dim} inverse={s.inverse}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
