/**
 * Links of classroom mode. The projector's own link carries the swarm id (the info hash is the
 * permission to watch) in the hash part, so it never reaches a server log.
 */
import { SWARM_ID_PATTERN } from '../../protocol/tracker';

export const PROJECTOR_PREFIX = '#/classroom/';

export function projectorLink(origin: string, swarm: string): string {
  return `${origin}/${PROJECTOR_PREFIX}${swarm}`;
}

/** The swarm id in a projector hash like `#/classroom/<id>`, or null when it is not one / malformed. */
export function parseProjectorHash(hash: string): string | null {
  if (!hash.startsWith(PROJECTOR_PREFIX)) return null;
  const id = hash.slice(PROJECTOR_PREFIX.length).split(/[/?]/)[0] ?? '';
  return SWARM_ID_PATTERN.test(id) ? id : null;
}
