/** SHA-256 of whole files (the engine's chunk hasher is `pickHasher` in src/engine/hasher.ts). */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Incremental SHA-256 of a whole file, fed chunk by chunk (crypto.subtle has no streaming API). */
export function fileHash(): { update(data: Uint8Array): void; hex(): string } {
  const h = nobleSha256.create();
  return {
    update: (data) => void h.update(data),
    hex: () => bytesToHex(h.digest()),
  };
}
