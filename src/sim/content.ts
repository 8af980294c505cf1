/**
 * The simulated share's bytes and the hasher for a simulation.
 *
 * The file exists once in memory (a seeded pseudo-random fill, so a wrong byte anywhere would fail
 * its hash check); peers pass chunk objects by reference over message links, so the hasher is
 * memoized by buffer identity and each distinct chunk is hashed once per run, not once per peer.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { pickHasher, type Hasher } from '../engine/index';

/** SHA-256 by the host's native WebCrypto when there is one (Node 20, browsers), else pure JS. */
const nativeHasher = pickHasher().hasher;

/** Counts real SHA-256 computations (neither memo could answer), for the run's statistics. */
export interface CountingHasher extends Hasher {
  readonly computed: number;
  /**
   * Hashes `data` with the host's native SHA-256 (fast, but it resolves on a thread pool at a
   * wall-clock moment) and remembers it. For the setup only: during a run a miss is hashed in JS
   * and resolves at once, so runs stay deterministic.
   */
  warm(data: Uint8Array): Promise<Uint8Array>;
  /**
   * Declares the share's chunks (already warmed). A miss on a buffer that is byte for byte one of
   * them (the engine reassembles a chunk from blocks into a fresh buffer) then costs one compare
   * instead of one SHA-256: an exact content memo, not a guess.
   */
  addKnownContent(chunks: readonly Uint8Array[]): void;
}

/** Byte equality; word by word where both views allow it. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  if (a === b) return true;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = a.length >>> 2;
    const wa = new Uint32Array(a.buffer, a.byteOffset, words);
    const wb = new Uint32Array(b.buffer, b.byteOffset, words);
    for (let i = 0; i < words; i++) if (wa[i] !== wb[i]) return false;
    for (let i = words * 4; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function fingerprint(d: Uint8Array): string {
  let head = 0;
  for (let i = 0; i < Math.min(12, d.length); i++) head = (head * 31 + d[i]!) >>> 0;
  return `${d.length}:${head}`;
}

/**
 * SHA-256 memoized by buffer identity: by the underlying ArrayBuffer plus offset and length, so two
 * views of the same bytes (a chunk and a subarray of it taken as a block) share one digest. Sound
 * only because nobody mutates a buffer after hashing it (the engine never does).
 */
export function identityMemoHasher(): CountingHasher {
  const cache = new WeakMap<ArrayBufferLike, Map<string, Promise<Uint8Array>>>();
  // First by the view object itself: over message links a peer verifies the very view the store
  // handed to the uploader, so this answers nearly every call without building a string key.
  const byView = new WeakMap<Uint8Array, Promise<Uint8Array>>();
  const known = new Map<string, Uint8Array[]>();
  let computed = 0;
  return {
    addKnownContent(chunks) {
      for (const c of chunks) {
        const k = fingerprint(c);
        const list = known.get(k);
        if (list) list.push(c);
        else known.set(k, [c]);
      }
    },
    get computed() {
      return computed;
    },
    sha256(data: Uint8Array): Promise<Uint8Array> {
      return lookup(data, (d) => {
        for (const c of known.get(fingerprint(d)) ?? [])
          if (sameBytes(c, d)) return lookup(c, () => Promise.resolve(sha256(c)));
        computed++;
        return Promise.resolve(sha256(d));
      });
    },
    warm(data: Uint8Array): Promise<Uint8Array> {
      return lookup(data, (d) => {
        computed++;
        return nativeHasher.sha256(d);
      });
    },
  };
  function lookup(data: Uint8Array, compute: (d: Uint8Array) => Promise<Uint8Array>): Promise<Uint8Array> {
    const known = byView.get(data);
    if (known) return known;
    let byRange = cache.get(data.buffer);
    if (!byRange) {
      byRange = new Map();
      cache.set(data.buffer, byRange);
    }
    const key = `${data.byteOffset}/${data.byteLength}`;
    let digest = byRange.get(key);
    if (!digest) {
      digest = compute(data);
      byRange.set(key, digest);
    }
    byView.set(data, digest);
    return digest;
  }
}
