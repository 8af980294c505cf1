/** The app's views by path. One line per route; the classroom views add theirs here. */
import type { ReactElement } from 'react';
import type { Route } from './router';
import { HomeView } from './views/HomeView';
import { MyFilesView } from './views/MyFilesView';
import { ShareView } from './views/ShareView';
import { ProjectorRoute } from './classroom/ProjectorRoute';
import { WhatIfPage } from './classroom/whatif/WhatIfPage';

export type RouteView = (params: Record<string, string>) => ReactElement;

export const ROUTES: Route<RouteView>[] = [
  { pattern: /^\/$/, view: () => <HomeView /> },
  { pattern: /^\/d\/(?<id>[^/?#]*)$/, view: (p) => <ShareView id={p.id ?? ''} key={p.id} /> },
  { pattern: /^\/files$/, view: () => <MyFilesView /> },
  { pattern: /^\/classroom\/(?<id>[^/?#]*)$/, view: (p) => <ProjectorRoute id={p.id ?? ''} key={p.id} /> },
  { pattern: /^\/what-if$/, view: () => <WhatIfPage /> },
];
