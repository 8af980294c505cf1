/**
 * A private share in the worker (docs/SECURITY.md, "Private shares"): the keys of its link
 * secret, the chunk cipher and the engine's metadata seal. Chunks are encrypted before they are
 * hashed, so chunk hashes, IndexedDB and the wire hold ciphertext only; they are decrypted only to
 * compute the files' SHA-256 and to save.
 */
import type { Hasher, MetadataSeal, ShareSource } from '../engine';
import { createShareCipher, linkMetadataSeal, type ShareCipher } from '../protocol/share-cipher';
import {
  formatLinkSecret,
  keysFromSeed,
  LinkError,
  makeLinkSecret,
  matchesLink,
  parseLinkSecret,
  SEED_BYTES,
  shareKeys,
  type ShareKeys,
} from '../protocol/share-keys';
import { parseMetadata, type ShareMetadata } from '../protocol/metadata';
import { prepareShare, type PreparedShare, type PrepareOptions } from './create-share';

export interface ShareCrypto {
  keys: ShareKeys;
  cipher: ShareCipher;
  seal: MetadataSeal;
}

export function shareCrypto(secret: string, hasher: Hasher, forceJs = false): ShareCrypto {
  const keys = shareKeys(parseLinkSecret(secret));
  const cipher = createShareCipher(keys, { forceJs });
  return { keys, cipher, seal: linkMetadataSeal(cipher, keys, hasher) };
}

/** Stored metadata of a share, checked against its link before it is trusted again. */
export async function storedMetadata(encoded: Uint8Array, c: ShareCrypto, hasher: Hasher): Promise<ShareMetadata> {
  if (!matchesLink(c.keys, await hasher.sha256(encoded)))
    throw new LinkError('malformed', 'stored metadata does not match its link');
  return parseMetadata(encoded);
}

/**
 * Share creation with a fresh random seed: chunks encrypted under its chunk key before hashing.
 * The summary carries the link secret (seed || info-hash prefix) and the derived swarm id.
 */
export async function preparePrivateShare(
  sources: ShareSource[],
  hasher: Hasher,
  opts: Omit<PrepareOptions, 'transform'> & { forceJs?: boolean } = {},
): Promise<PreparedShare & { crypto: ShareCrypto }> {
  const seed = crypto.getRandomValues(new Uint8Array(SEED_BYTES));
  const cipher = createShareCipher(keysFromSeed(seed), { forceJs: opts.forceJs });
  let c: ShareCrypto | undefined;
  const p = await prepareShare(sources, hasher, {
    ...opts,
    transform: (i, b) => cipher.encryptChunk(i, b),
    identify: (infoHash) => {
      const secret = formatLinkSecret(makeLinkSecret(seed, infoHash));
      c = shareCrypto(secret, hasher, opts.forceJs);
      return { swarmId: c.keys.swarmId, secret };
    },
  });
  return { ...p, crypto: c! };
}
