/**
 * A private share's encryption (docs/SECURITY.md, "Private shares").
 *
 * Chunks: AES-256-CTR under the share's chunk key, counter block = chunk index (64-bit big-endian)
 * then a 64-bit block counter from 0, so no two chunks of a share share keystream and a (key,
 * counter) pair only ever encrypts one plaintext (the key is per share, and a changed source is
 * refused). The ciphertext has the plaintext's length, so the chunk layout, the 64 KiB blocks and
 * the engine's length checks stay as they are. Integrity is the chunk hashes': each chunk's
 * SHA-256 (of its ciphertext) is in the metadata, which is authenticated (AES-GCM below) and bound
 * to the link (its info-hash prefix), and every chunk is checked against it on arrival.
 *
 * Metadata: AES-256-GCM under the metadata key with a fixed nonce; the key encrypts one plaintext
 * only (a share's metadata never changes, and every seed re-seals the same bytes).
 *
 * WebCrypto where it exists; @noble/ciphers (audited, pure JS) on plain-http origins, where
 * `crypto.subtle` is missing. Both give the same bytes (share-cipher.test.ts).
 */
import { ctr, gcm } from '@noble/ciphers/aes.js';
import { matchesLink, type ShareKeys } from './share-keys';

export type CipherKind = 'subtle' | 'js';

export interface ShareCipher {
  readonly kind: CipherKind;
  /** Chunk `index`'s ciphertext (same length). */
  encryptChunk(index: number, plain: Uint8Array): Promise<Uint8Array>;
  /** Chunk `index`'s plaintext. CTR: the same operation; the caller checked the chunk's hash. */
  decryptChunk(index: number, cipher: Uint8Array): Promise<Uint8Array>;
  /** The metadata as peers exchange it: ciphertext || 16-byte tag. */
  sealMetadata(encoded: Uint8Array): Promise<Uint8Array>;
  /** The metadata's canonical bytes; rejects (MetadataSealError) when the tag does not verify. */
  openMetadata(sealed: Uint8Array): Promise<Uint8Array>;
}

export class MetadataSealError extends Error {
  override name = 'MetadataSealError';
}

/** GCM's tag: what sealing adds to the metadata. */
export const METADATA_TAG_BYTES = 16;
const METADATA_NONCE = new Uint8Array(12);

/** The chunk's 16-byte initial counter block. */
export function chunkCounter(index: number): Uint8Array {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`bad chunk index ${index}`);
  const block = new Uint8Array(16);
  new DataView(block.buffer).setBigUint64(0, BigInt(index));
  return block;
}

interface SubtleCipher {
  importKey(f: 'raw', k: Uint8Array, a: string, x: boolean, u: string[]): Promise<object>;
  encrypt(a: object, k: object, d: Uint8Array): Promise<ArrayBuffer>;
  decrypt(a: object, k: object, d: Uint8Array): Promise<ArrayBuffer>;
}

function subtleCipher(subtle: SubtleCipher, keys: Pick<ShareKeys, 'chunkKey' | 'metadataKey'>): ShareCipher {
  const chunkKey = subtle.importKey('raw', keys.chunkKey, 'AES-CTR', false, ['encrypt', 'decrypt']);
  const metaKey = subtle.importKey('raw', keys.metadataKey, 'AES-GCM', false, ['encrypt', 'decrypt']);
  const ctrOp = async (index: number, data: Uint8Array) =>
    new Uint8Array(
      await subtle.encrypt({ name: 'AES-CTR', counter: chunkCounter(index), length: 64 }, await chunkKey, data),
    );
  return {
    kind: 'subtle',
    encryptChunk: ctrOp,
    decryptChunk: ctrOp,
    sealMetadata: async (encoded) =>
      new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv: METADATA_NONCE }, await metaKey, encoded)),
    openMetadata: async (sealed) => {
      try {
        return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: METADATA_NONCE }, await metaKey, sealed));
      } catch {
        throw new MetadataSealError('metadata is not sealed with this link');
      }
    },
  };
}

function jsCipher(keys: Pick<ShareKeys, 'chunkKey' | 'metadataKey'>): ShareCipher {
  const ctrOp = (index: number, data: Uint8Array) =>
    Promise.resolve(ctr(keys.chunkKey, chunkCounter(index)).encrypt(data));
  return {
    kind: 'js',
    encryptChunk: ctrOp,
    decryptChunk: ctrOp,
    sealMetadata: (encoded) => Promise.resolve(gcm(keys.metadataKey, METADATA_NONCE).encrypt(encoded)),
    openMetadata: (sealed) => {
      try {
        return Promise.resolve(gcm(keys.metadataKey, METADATA_NONCE).decrypt(sealed));
      } catch {
        return Promise.reject(new MetadataSealError('metadata is not sealed with this link'));
      }
    },
  };
}

/** WebCrypto's cipher where there is one, else @noble/ciphers; `forceJs` for tests and the `noSubtle` flag. */
export function createShareCipher(
  keys: Pick<ShareKeys, 'chunkKey' | 'metadataKey'>,
  opts: { forceJs?: boolean } = {},
): ShareCipher {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCipher } }).crypto?.subtle;
  return subtle && !opts.forceJs ? subtleCipher(subtle, keys) : jsCipher(keys);
}

/**
 * The engine's metadata seal for a link (src/engine/types.ts, MetadataSeal): opened metadata must
 * also hash to the info hash the link names, so a peer holding the link can't substitute a file.
 */
export function linkMetadataSeal(
  cipher: ShareCipher,
  keys: Pick<ShareKeys, 'infoHashPrefix'>,
  hasher: { sha256(data: Uint8Array): Promise<Uint8Array> },
): { seal(encoded: Uint8Array): Promise<Uint8Array>; open(sealed: Uint8Array): Promise<Uint8Array> } {
  return {
    seal: (encoded) => cipher.sealMetadata(encoded),
    open: async (sealed) => {
      const encoded = await cipher.openMetadata(sealed);
      if (!matchesLink(keys, await hasher.sha256(encoded)))
        throw new MetadataSealError('metadata does not match the link');
      return encoded;
    },
  };
}
