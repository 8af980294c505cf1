/**
 * The app's views by path. One line per route; the classroom views add theirs here.
 * The classroom views (projector, what-if) are loaded on demand: the share and download pages,
 * which most visitors open (often from a phone), don't download their code.
 */
import { lazy, Suspense, type ReactElement, type ReactNode } from 'react';
import { OLD_SHARE_PATH, SHARE_PATH } from './paths';
import type { Route } from './router';
import { HomeView } from './views/HomeView';
import { MyFilesView } from './views/MyFilesView';
import { BadLink, ShareView } from './views/ShareView';

const ProjectorRoute = lazy(() => import('./classroom/ProjectorRoute').then((m) => ({ default: m.ProjectorRoute })));
const WhatIfPage = lazy(() => import('./classroom/whatif/WhatIfPage').then((m) => ({ default: m.WhatIfPage })));

export type RouteView = (params: Record<string, string>) => ReactElement;

function Loading({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <p className="muted" data-testid="view-loading">
          …
        </p>
      }
    >
      {children}
    </Suspense>
  );
}

export const ROUTES: Route<RouteView>[] = [
  { pattern: /^\/$/, view: () => <HomeView /> },
  { pattern: SHARE_PATH, view: (p) => <ShareView secret={p.secret ?? ''} key={p.secret} /> },
  { pattern: OLD_SHARE_PATH, view: () => <BadLink problem="old-version" /> },
  { pattern: /^\/files$/, view: () => <MyFilesView /> },
  {
    pattern: /^\/classroom\/(?<id>[^/?#]*)(?:\/(?<room>[^/?#]*))?$/,
    view: (p) => (
      <Loading>
        <ProjectorRoute id={p.id ?? ''} roomKey={p.room ?? null} key={`${p.id}/${p.room}`} />
      </Loading>
    ),
  },
  {
    pattern: /^\/what-if$/,
    view: () => (
      <Loading>
        <WhatIfPage />
      </Loading>
    ),
  },
];
