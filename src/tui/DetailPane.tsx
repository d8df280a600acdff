// The selected incident in full: title, cause and confidence, alternatives, evidence (input:line), remediation.
import { Pane } from './Pane.js';
import { DetailRow } from './DetailRow.js';
import { SEVERITY_COLOR } from './format.js';
import type { DetailView } from './view.js';

export interface DetailPaneProps {
  readonly view: DetailView;
}

export function DetailPane({ view }: DetailPaneProps) {
  const color = SEVERITY_COLOR[view.severity];
  return (
    <Pane width={view.width} height={view.height} rule={view.rule}>
      {view.lines.map((line, n) => (
        <DetailRow key={n} line={line} color={color} />
      ))}
    </Pane>
  );
}
