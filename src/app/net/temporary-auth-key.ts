/**
 * TEMPORARY peer-auth key: HKDF-SHA256 of the swarm id. Anyone who knows the swarm id can compute
 * it, so it proves nothing yet; it exists so that the peer-auth exchange runs end to end until the
 * share link carries a secret and `deriveShareKeys` (src/protocol/share-keys.ts) gives the real
 * `authKey`. This file is the one place to replace: the runtime passes `temporaryAuthKey` as the
 * connector's `authKeyFor`.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { AUTH_KEY_BYTES } from './peer-auth';

const INFO = new TextEncoder().encode('swarmdrop temporary peer-auth key');

export function temporaryAuthKey(swarmId: string): Uint8Array {
  return hkdf(sha256, new TextEncoder().encode(swarmId), undefined, INFO, AUTH_KEY_BYTES);
}
