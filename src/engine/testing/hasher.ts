/** SHA-256 Hashers for tests and the simulator (pure JS: no crypto.subtle or node:crypto needed). */
import { sha256 } from '@noble/hashes/sha2.js';
import type { Hasher } from '../types';

export const jsHasher: Hasher = {
  async sha256(data: Uint8Array): Promise<Uint8Array> {
    return sha256(data);
  },
};

/**
 * Memoizes digests by buffer identity: in the simulator the same chunk object is passed from peer
 * to peer (message links pass data by reference), so each chunk is hashed once, not once per peer.
 * Only sound where nobody mutates a buffer after hashing it (the engine never does).
 */
export function memoizedHasher(inner: Hasher = jsHasher): Hasher {
  const cache = new WeakMap<Uint8Array, Promise<Uint8Array>>();
  return {
    sha256(data) {
      let digest = cache.get(data);
      if (!digest) {
        digest = inner.sha256(data);
        cache.set(data, digest);
      }
      return digest;
    },
  };
}
