// One incident in the list: selection marker, new/changed mark, severity, cause, pod (--kube), subject, count, rate, last seen.
import { Box, Text } from 'ink';
import { SEVERITY_COLOR } from './format.js';
import type { ListColumns, RowView } from './view.js';

export interface IncidentRowProps {
  readonly row: RowView;
  readonly columns: ListColumns;
}

export function IncidentRow({ row, columns: c }: IncidentRowProps) {
  const color = SEVERITY_COLOR[row.severity];
  return (
    <Box flexDirection="row" height={1} flexShrink={0}>
      <Box width={c.sel} flexShrink={0}>
        <Text color="cyan" bold>
          {row.selected ? '▶' : ' '}
        </Text>
      </Box>
      <Box width={c.mark} flexShrink={0}>
        {row.mark ? (
          <Text color={row.mark.tone === 'new' ? 'green' : 'yellow'} bold wrap="truncate-end">
            {row.mark.text}
          </Text>
        ) : null}
      </Box>
      <Box width={c.sev} flexShrink={0}>
        <Text color={color} bold={row.severity === 'critical'}>
          {row.sevLabel}
        </Text>
      </Box>
      <Box width={c.cause} marginLeft={1} flexShrink={0}>
        <Text bold={row.selected} inverse={row.selected} wrap="truncate-end">
          {row.cause}
        </Text>
      </Box>
      {c.pod > 0 ? (
        <Box width={c.pod} marginLeft={1} flexShrink={0}>
          <Text color="cyan" wrap="truncate-end">
            {row.pod}
          </Text>
        </Box>
      ) : null}
      <Box width={c.subject} marginLeft={1} flexShrink={0}>
        <Text wrap="truncate-end">{row.subject}</Text>
      </Box>
      <Box width={c.count} marginLeft={1} flexShrink={0} justifyContent="flex-end">
        <Text bold wrap="truncate-start">
          {row.count}
        </Text>
      </Box>
      <Box width={c.spark} marginLeft={1} flexShrink={0}>
        <Text color={color}>{row.spark}</Text>
      </Box>
      <Box width={c.last} marginLeft={1} flexShrink={0}>
        <Text dimColor wrap="truncate-end">
          {row.last}
        </Text>
      </Box>
    </Box>
  );
}
