// The key bindings, shown in place of the list while `?` is on.
import { Text } from 'ink';
import { Pane } from './Pane.js';
import type { HelpView } from './view.js';

export interface HelpPaneProps {
  readonly view: HelpView;
}

export function HelpPane({ view }: HelpPaneProps) {
  return (
    <Pane width={view.width} height={view.height} rule={view.rule}>
      {view.lines.map((l) => (
        <Text key={l.keys} wrap="truncate-end">
          <Text color="cyan" bold>
            {`  ${l.keys}`.padEnd(14)}
          </Text>
          {l.text}
        </Text>
      ))}
    </Pane>
  );
}
