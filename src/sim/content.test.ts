import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { pseudoRandomBytes } from '../engine/index';
import { identityMemoHasher, sameBytes } from './content';
import { SharedChunkStore } from './shared-store';

describe('simulator hasher', () => {
  const data = pseudoRandomBytes(4 * 1024 + 3, 5);
  const chunks = [data.subarray(0, 2048), data.subarray(2048, 4096), data.subarray(4096)];

  it('gives real SHA-256 digests and hashes each view once', async () => {
    const h = identityMemoHasher();
    for (const c of chunks) expect(await h.warm(c)).toEqual(sha256(c));
    expect(h.computed).toBe(3);
    expect(await h.sha256(data.subarray(2048, 4096))).toEqual(sha256(chunks[1]!)); // another view, same bytes
    expect(h.computed).toBe(3);
  });

  it('answers a copy of a known chunk by comparison, and hashes anything else', async () => {
    const h = identityMemoHasher();
    for (const c of chunks) await h.warm(c);
    h.addKnownContent(chunks);
    const copy = chunks[0]!.slice();
    expect(await h.sha256(copy)).toEqual(sha256(chunks[0]!));
    expect(h.computed).toBe(3);
    const corrupt = chunks[0]!.slice();
    corrupt[1000]! ^= 1;
    expect(await h.sha256(corrupt)).toEqual(sha256(corrupt));
    expect(await h.sha256(corrupt)).not.toEqual(sha256(chunks[0]!));
    expect(h.computed).toBe(4);
  });

  it('compares bytes at any alignment', () => {
    const a = pseudoRandomBytes(1001, 1);
    const b = new Uint8Array(1002);
    b.set(a, 1);
    expect(sameBytes(a, b.subarray(1))).toBe(true);
    b[500]! ^= 0xff;
    expect(sameBytes(a, b.subarray(1))).toBe(false);
    expect(sameBytes(a, a.subarray(0, 1000))).toBe(false);
  });
});

describe('SharedChunkStore', () => {
  it('stores the shared original and counts puts that differ from it', async () => {
    const originals = [pseudoRandomBytes(64, 1), pseudoRandomBytes(64, 2)];
    const store = new SharedChunkStore(originals, true);
    await store.put(1, originals[1]!.slice());
    expect(await store.get(1)).toBe(originals[1]);
    expect(await store.get(0)).toBeUndefined();
    await store.put(0, originals[1]!);
    expect(store.mismatches).toBe(1);
    expect(await store.list()).toEqual([0, 1]);
    await expect(store.put(5, originals[0]!)).rejects.toThrow(RangeError);
    await store.clear();
    expect(await store.list()).toEqual([]);
  });
});
