// The whole screen for one view-model: header, list (or help), detail, streams (--kube), recent lines, footer — exactly
// `view.height` lines, so Ink can redraw it in place.
import { Box } from 'ink';
import { DetailPane } from './DetailPane.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HelpPane } from './HelpPane.js';
import { IncidentList } from './IncidentList.js';
import { RecentLines } from './RecentLines.js';
import { StreamsStrip } from './StreamsStrip.js';
import type { ScreenView } from './view.js';

export interface ScreenProps {
  readonly view: ScreenView;
}

export function Screen({ view }: ScreenProps) {
  return (
    <Box flexDirection="column" width={view.width} height={view.height} overflow="hidden">
      <Header view={view.header} />
      {view.help ? <HelpPane view={view.help} /> : null}
      {view.list ? <IncidentList view={view.list} /> : null}
      {view.detail ? <DetailPane view={view.detail} /> : null}
      {view.streams ? <StreamsStrip view={view.streams} /> : null}
      {view.recent ? <RecentLines view={view.recent} /> : null}
      <Footer view={view.footer} />
    </Box>
  );
}
