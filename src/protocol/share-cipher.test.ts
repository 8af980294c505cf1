import { createCipheriv } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { chunkCounter, createShareCipher, linkMetadataSeal, MetadataSealError } from './share-cipher';
import { makeLinkSecret, shareKeys } from './share-keys';

const keys = shareKeys(makeLinkSecret(new Uint8Array(16).fill(7), new Uint8Array(32).fill(9)));
const plain = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff);
const hasher = { sha256: (d: Uint8Array) => Promise.resolve(sha256(d)) };

describe.each([
  ['WebCrypto', false],
  ['@noble/ciphers', true],
])('share cipher (%s)', (_name, forceJs) => {
  const cipher = createShareCipher(keys, { forceJs });

  it('encrypts a chunk to AES-256-CTR with the chunk index in the counter block (same length)', async () => {
    const out = await cipher.encryptChunk(5, plain);
    const node = createCipheriv('aes-256-ctr', keys.chunkKey, chunkCounter(5));
    const expected = Buffer.concat([node.update(plain), node.final()]);
    expect(Buffer.from(out).equals(expected)).toBe(true);
    expect(out.length).toBe(plain.length);
    expect(await cipher.decryptChunk(5, out)).toEqual(plain);
  });

  it('gives every chunk index its own keystream', async () => {
    const a = await cipher.encryptChunk(0, plain);
    const b = await cipher.encryptChunk(1, plain);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(await cipher.decryptChunk(0, b)).not.toEqual(plain);
  });

  it('seals metadata with AES-256-GCM and refuses a flipped bit or another key', async () => {
    const meta = new TextEncoder().encode('metadata bytes');
    const sealed = await cipher.sealMetadata(meta);
    expect(sealed.length).toBe(meta.length + 16);
    expect(await cipher.openMetadata(sealed)).toEqual(meta);
    for (const at of [0, sealed.length - 1]) {
      const bad = sealed.slice();
      bad[at]! ^= 1;
      await expect(cipher.openMetadata(bad)).rejects.toBeInstanceOf(MetadataSealError);
    }
    const other = createShareCipher({ chunkKey: keys.chunkKey, metadataKey: new Uint8Array(32) }, { forceJs });
    await expect(other.openMetadata(sealed)).rejects.toBeInstanceOf(MetadataSealError);
  });
});

describe('both ciphers give the same bytes', () => {
  it('chunks and metadata', async () => {
    const a = createShareCipher(keys);
    const b = createShareCipher(keys, { forceJs: true });
    expect(a.kind).toBe('subtle');
    expect(b.kind).toBe('js');
    expect(await a.encryptChunk(123_456, plain)).toEqual(await b.encryptChunk(123_456, plain));
    expect(await a.sealMetadata(plain)).toEqual(await b.sealMetadata(plain));
  });
});

describe('linkMetadataSeal', () => {
  it('opens only metadata whose SHA-256 starts with the link’s info-hash prefix', async () => {
    const meta = new TextEncoder().encode('the real metadata');
    const link = shareKeys(makeLinkSecret(new Uint8Array(16).fill(7), sha256(meta)));
    const seal = linkMetadataSeal(createShareCipher(link), link, hasher);
    expect(await seal.open(await seal.seal(meta))).toEqual(meta);
    // A link holder sealing other metadata under the same key: it opens, but is not the link's file.
    const forged = await seal.seal(new TextEncoder().encode('other metadata'));
    await expect(seal.open(forged)).rejects.toThrow(/does not match the link/);
  });
});
