/** A SHA-256 Hasher for tests. */
import { sha256 } from '@noble/hashes/sha2.js';
import type { Hasher } from '../types';

/** Pure JS (works anywhere; slow on megabytes). */
export const jsHasher: Hasher = {
  async sha256(data: Uint8Array): Promise<Uint8Array> {
    return sha256(data);
  },
};
