/**
 * The one SHA-256 picker (worker, tests, simulator). `crypto.subtle` only exists in secure
 * contexts; a class opening the app from http://<teacher's laptop>:8080 has none, so
 * @noble/hashes (pure JS) takes over there.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { Hasher } from './types';

export type HasherKind = 'subtle' | 'js';

interface SubtleLike {
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
}

/** WebCrypto where there is one (browsers' secure contexts, Node >= 20), else pure JS; `forceJs` for tests. */
export function pickHasher(opts: { forceJs?: boolean } = {}): { kind: HasherKind; hasher: Hasher } {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleLike } }).crypto?.subtle;
  if (subtle && !opts.forceJs) {
    return {
      kind: 'subtle',
      hasher: {
        sha256: async (data) => new Uint8Array(await subtle.digest('SHA-256', data)),
      },
    };
  }
  return { kind: 'js', hasher: { sha256: async (data) => sha256(data) } };
}
