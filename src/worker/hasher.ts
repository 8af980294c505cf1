/**
 * SHA-256 for the engine (chunk verification) and for whole files.
 * `crypto.subtle` only exists in secure contexts; a class opening the app from
 * http://<teacher's laptop>:8080 has none, so @noble/hashes (pure JS) takes over there.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import type { Hasher } from '../engine/index';

export type HasherKind = 'subtle' | 'js';

export function pickHasher(opts: { forceJs?: boolean } = {}): { kind: HasherKind; hasher: Hasher } {
  const subtle = globalThis.crypto?.subtle;
  if (subtle && !opts.forceJs) {
    return {
      kind: 'subtle',
      hasher: {
        sha256: async (data) => new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>)),
      },
    };
  }
  return { kind: 'js', hasher: { sha256: async (data) => nobleSha256(data) } };
}

/** Incremental SHA-256 of a whole file, fed chunk by chunk (crypto.subtle has no streaming API). */
export function fileHash(): { update(data: Uint8Array): void; hex(): string } {
  const h = nobleSha256.create();
  return {
    update: (data) => void h.update(data),
    hex: () => toHex(h.digest()),
  };
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
