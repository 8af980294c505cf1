/**
 * A tiny hash router. Share links are stable URLs: `<origin>/#/s/<base64url link secret>`.
 * Hash routes work from any static server and from a plain-http LAN address alike.
 * To add a view, add one line to `ROUTES` in src/app/routes.tsx.
 */
import { useSyncExternalStore } from 'react';
import { currentPath } from './paths';

export { currentPath, shareLink } from './paths';

export function navigate(path: string): void {
  globalThis.location.hash = path;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function usePath(): string {
  return useSyncExternalStore(
    subscribe,
    () => currentPath(),
    () => '/',
  );
}

/** One route: a pattern with named groups, and the view given those groups. */
export interface Route<V> {
  pattern: RegExp;
  view: V;
}

/** The first route whose pattern matches `path`, with its named groups. */
export function matchRoute<V>(
  routes: Route<V>[],
  path: string,
): { view: V; params: Record<string, string> } | undefined {
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (m) return { view: r.view, params: { ...(m.groups ?? {}) } };
  }
  return undefined;
}
