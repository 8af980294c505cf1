/**
 * The simulated share's bytes and the hasher for a simulation.
 *
 * The file exists once in memory (a seeded pseudo-random fill, so a wrong byte anywhere would fail
 * its hash check); peers pass chunk objects by reference over message links, so the hasher is
 * memoized by buffer identity and each distinct chunk is hashed once per run, not once per peer.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { Hasher } from '../engine/types';

/** `size` bytes from a seeded xorshift32 generator. */
export function pseudoRandomBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  const words = new Uint32Array(out.buffer, 0, size >>> 2);
  let x = (seed ^ 0x9e3779b9) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    words[i] = x;
  }
  for (let i = words.length * 4; i < size; i++) out[i] = (i * 131 + seed) & 0xff;
  return out;
}

/** Counts real hash computations (the memo's misses), for the run's statistics. */
export interface CountingHasher extends Hasher {
  readonly computed: number;
}

/**
 * SHA-256 memoized by buffer identity: by the underlying ArrayBuffer plus offset and length, so two
 * views of the same bytes (a chunk and a subarray of it taken as a block) share one digest. Sound
 * only because nobody mutates a buffer after hashing it (the engine never does).
 */
export function identityMemoHasher(): CountingHasher {
  const cache = new WeakMap<ArrayBufferLike, Map<string, Promise<Uint8Array>>>();
  let computed = 0;
  return {
    get computed() {
      return computed;
    },
    sha256(data: Uint8Array): Promise<Uint8Array> {
      let byView = cache.get(data.buffer);
      if (!byView) {
        byView = new Map();
        cache.set(data.buffer, byView);
      }
      const key = `${data.byteOffset}/${data.byteLength}`;
      let digest = byView.get(key);
      if (!digest) {
        computed++;
        digest = Promise.resolve(sha256(data));
        byView.set(key, digest);
      }
      return digest;
    },
  };
}
