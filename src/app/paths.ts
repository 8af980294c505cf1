/**
 * The app's URLs, without React: the boot (src/app/main.tsx) reads a download link before the
 * views have loaded, and the router and views write and match the same paths.
 */

/** The path part of the hash: '#/d/abc' -> '/d/abc'; '' or '#' -> '/'. */
export function currentPath(hash = globalThis.location?.hash ?? ''): string {
  const path = hash.replace(/^#/, '');
  return path.startsWith('/') ? path : '/';
}

/**
 * A share's page (the share link): `/s/<link secret>`, 43 base64url characters (link version 3,
 * src/protocol/share-keys.ts). The secret stays in the fragment: never sent to any server.
 */
export const SHARE_PATH = /^\/s\/(?<secret>[^/?#]*)$/;
/** The share links of an older version (`/d/<info hash>`): refused with a plain message. */
export const OLD_SHARE_PATH = /^\/d\/[^/?#]*$/;

/** The share's page within the app. */
export function sharePath(secret: string): string {
  return `/s/${secret}`;
}

/** The share link for a link secret, on this page's origin. */
export function shareLink(secret: string, origin = globalThis.location.origin): string {
  return `${origin}/#${sharePath(secret)}`;
}
