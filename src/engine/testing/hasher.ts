/** SHA-256 Hashers for tests and the simulator. */
import { sha256 } from '@noble/hashes/sha2.js';
import type { Hasher } from '../types';

/** Pure JS (works anywhere; slow on megabytes). */
export const jsHasher: Hasher = {
  async sha256(data: Uint8Array): Promise<Uint8Array> {
    return sha256(data);
  },
};

interface SubtleLike {
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
}

/** WebCrypto (`crypto.subtle`: browsers' secure contexts, Node >= 20); undefined where there is none. */
export function subtleHasher(): Hasher | undefined {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleLike } }).crypto?.subtle;
  if (!subtle) return undefined;
  return {
    async sha256(data: Uint8Array): Promise<Uint8Array> {
      return new Uint8Array(await subtle.digest('SHA-256', data));
    },
  };
}

/** The fastest available: WebCrypto, else pure JS. */
export function defaultHasher(): Hasher {
  return subtleHasher() ?? jsHasher;
}

/**
 * Memoizes digests by buffer identity: in the simulator the same chunk object is passed from peer
 * to peer (message links pass data by reference), so each chunk is hashed once, not once per peer.
 * Only sound where nobody mutates a buffer after hashing it (the engine never does).
 */
export function memoizedHasher(inner: Hasher = defaultHasher()): Hasher {
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
