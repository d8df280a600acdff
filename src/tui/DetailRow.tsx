// One line of the detail pane, styled by its kind (title, meta, label, evidence, …).
import { Text } from 'ink';
import type { DetailLine } from './view.js';

export interface DetailRowProps {
  readonly line: DetailLine;
  /** Colour of the incident's severity (for the title). */
  readonly color: string;
}

export function DetailRow({ line, color }: DetailRowProps) {
  switch (line.kind) {
    case 'title':
      return (
        <Text color={color} bold wrap="truncate-end">
          {line.text}
        </Text>
      );
    case 'meta':
    case 'more':
      return (
        <Text dimColor wrap="truncate-end">
          {line.text}
        </Text>
      );
    case 'label':
      return (
        <Text bold wrap="truncate-end">
          {line.text}
        </Text>
      );
    case 'evidence':
      return (
        <Text wrap="truncate-end">
          {'  '}
          <Text color="cyan">{line.loc}</Text>
          {'  '}
          {line.text}
        </Text>
      );
    default:
      return <Text wrap="truncate-end">{line.text}</Text>;
  }
}
