// The incident list, most probable root cause first: a heading row, then as many rows as fit.
import { Box, Text } from 'ink';
import { IncidentRow } from './IncidentRow.js';
import type { ListView } from './view.js';

export interface IncidentListProps {
  readonly view: ListView;
}

export function IncidentList({ view }: IncidentListProps) {
  const c = view.columns;
  const h = view.headings;
  return (
    <Box flexDirection="column" width={view.width} height={view.height} flexShrink={0} overflow="hidden">
      <Box flexDirection="row" height={1} flexShrink={0}>
        <Box width={c.sel + c.mark + c.sev} flexShrink={0}>
          <Text dimColor bold>
            {' '.repeat(c.sel + c.mark)}
            {h.sev}
          </Text>
        </Box>
        <Box width={c.cause} marginLeft={1} flexShrink={0}>
          <Text dimColor bold>
            {h.cause}
          </Text>
        </Box>
        <Box width={c.subject} marginLeft={1} flexShrink={0}>
          <Text dimColor bold wrap="truncate-end">
            {h.subject}
          </Text>
        </Box>
        <Box width={c.count} marginLeft={1} flexShrink={0} justifyContent="flex-end">
          <Text dimColor bold>
            {h.count}
          </Text>
        </Box>
        <Box width={c.spark} marginLeft={1} flexShrink={0}>
          <Text dimColor bold wrap="truncate-end">
            {h.spark}
          </Text>
        </Box>
        <Box width={c.last} marginLeft={1} flexShrink={0}>
          <Text dimColor bold wrap="truncate-end">
            {h.last}
          </Text>
        </Box>
      </Box>
      {view.empty !== null ? (
        <Box paddingLeft={2} height={1}>
          <Text dimColor wrap="truncate-end">
            {view.empty}
          </Text>
        </Box>
      ) : (
        <>
          {view.above > 0 ? (
            <Text dimColor wrap="truncate-end">
              {`  ↑ ${view.above} more above`}
            </Text>
          ) : null}
          {view.rows.map((row) => (
            <IncidentRow key={row.id} row={row} columns={c} />
          ))}
          {view.below > 0 ? (
            <Text dimColor wrap="truncate-end">
              {`  ↓ ${view.below} more below`}
            </Text>
          ) : null}
        </>
      )}
    </Box>
  );
}
