/**
 * Links of classroom mode. The projector's own link carries the swarm id (the info hash is the
 * permission to watch) in the hash part, so it never reaches a server log.
 */

export const PROJECTOR_PREFIX = '#/classroom/';

export function projectorLink(origin: string, swarm: string): string {
  return `${origin}/${PROJECTOR_PREFIX}${swarm}`;
}
