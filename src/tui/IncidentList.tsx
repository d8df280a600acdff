// The incident list, most probable root cause first: a heading row, then as many rows as fit.
import { Box, Text } from 'ink';
import { IncidentRow } from './IncidentRow.js';
import { Pane } from './Pane.js';
import type { ListView } from './view.js';

export interface IncidentListProps {
  readonly view: ListView;
}

export function IncidentList({ view }: IncidentListProps) {
  const c = view.columns;
  const h = view.headings;
  return (
    <Pane width={view.width} height={view.height}>
      <Box flexDirection="row" height={1} flexShrink={0}>
        <Box width={c.sel + c.mark + c.sev} flexShrink={0}>
          <Text dimColor bold>
            {' '.repeat(c.sel + c.mark)}
            {h.sev}
          </Text>
        </Box>
        <HeadingCell width={c.cause} text={h.cause} />
        {c.pod > 0 ? <HeadingCell width={c.pod} text={h.pod} truncate /> : null}
        <HeadingCell width={c.subject} text={h.subject} truncate />
        <HeadingCell width={c.count} text={h.count} right />
        <HeadingCell width={c.spark} text={h.spark} truncate />
        <HeadingCell width={c.last} text={h.last} truncate />
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
    </Pane>
  );
}

/** One dim, bold column heading of the list, one space after the column before it. */
function HeadingCell({ width, text, truncate = false, right = false }: { readonly width: number; readonly text: string; readonly truncate?: boolean; readonly right?: boolean }) {
  return (
    <Box width={width} marginLeft={1} flexShrink={0} justifyContent={right ? 'flex-end' : 'flex-start'}>
      <Text dimColor bold wrap={truncate ? 'truncate-end' : 'wrap'}>
        {text}
      </Text>
    </Box>
  );
}
