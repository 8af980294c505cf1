/**
 * The app's URLs, without React: the boot (src/app/main.tsx) reads a download link before the
 * views have loaded, and the router and views write and match the same paths.
 */

/** The path part of the hash: '#/d/abc' -> '/d/abc'; '' or '#' -> '/'. */
export function currentPath(hash = globalThis.location?.hash ?? ''): string {
  const path = hash.replace(/^#/, '');
  return path.startsWith('/') ? path : '/';
}

/** A share's page (the share link): `/d/<base64url info hash>`. */
export const SHARE_PATH = /^\/d\/(?<id>[^/?#]*)$/;

/** The share link for a swarm id, on this page's origin. */
export function shareLink(swarmId: string, origin = globalThis.location.origin): string {
  return `${origin}/#/d/${swarmId}`;
}
