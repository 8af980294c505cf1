/**
 * Links of classroom mode, all in the hash part so they never reach a server log. Both carry the
 * room key (the sharer's public key, src/protocol/classroom-signing.ts): a page trusts classroom
 * controls only when they are signed with the key of the link it was opened from.
 * - projector: `#/classroom/<swarm id>/<key>`: the swarm id only, not the link secret (the
 *   projector never joins the swarm and can't read the file);
 * - students' classroom link: `#/join/<link secret>/<key>`: the page keeps the key and goes on to
 *   the ordinary share page `#/s/<link secret>` (the plain share link has no key and applies no control).
 */
import { SWARM_ID_PATTERN } from '../../protocol/tracker';

export const PROJECTOR_PREFIX = '#/classroom/';
export const JOIN_PREFIX = '#/join/';
const KEY_PATTERN = /^[0-9a-f]{64}$/;

export function projectorLink(origin: string, swarm: string, key: string): string {
  return `${origin}/${PROJECTOR_PREFIX}${swarm}/${key}`;
}

export function classroomJoinLink(origin: string, linkSecret: string, key: string): string {
  return `${origin}/${JOIN_PREFIX}${linkSecret}/${key}`;
}

/** Swarm id and room key of a `<prefix><swarm>/<key>` hash; key null when absent (an older link); null when malformed. */
function parse(prefix: string, hash: string): { swarm: string; key: string | null } | null {
  if (!hash.startsWith(prefix)) return null;
  const [swarm = '', key] = hash.slice(prefix.length).split(/[?]/)[0]!.split('/');
  if (!SWARM_ID_PATTERN.test(swarm)) return null;
  if (key === undefined || key === '') return { swarm, key: null };
  return KEY_PATTERN.test(key) ? { swarm, key } : null;
}

export const parseJoinHash = (hash: string) => parse(JOIN_PREFIX, hash);
