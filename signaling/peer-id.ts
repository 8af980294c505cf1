/** Server-assigned peer ids: 16 base64url characters (PEER_ID_PATTERN), unguessable. */
import { randomBytes } from 'node:crypto';

/**
 * `prefix` (an instance tag, or '') followed by random base64url characters up to 16 in all: 12
 * random bytes without a prefix, 72 random bits after a 4-character tag.
 */
export function newPeerId(prefix = ''): string {
  return prefix + randomBytes(12).toString('base64url').slice(prefix.length);
}
