import 'fake-indexeddb/auto';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { createStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { createShare, type ShareSource } from '../engine';
import { jsHasher } from '../engine/testing';
import { SourceChangedError } from './chunk-pipeline';
import { copyIntoStore, prepareShare, recordWhileCopying } from './create-share';
import { IdbChunkStore } from './idb-chunk-store';
import { SeedStore } from './seed-store';

const KiB = 1024;
const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed) & 255);
const db = createStore('create-share-db', 'chunks');

/** An in-memory file whose bytes the test may change or make unreadable after it was hashed. */
function file(name: string, data: Uint8Array): ShareSource & { data: Uint8Array; failFrom?: number } {
  const f: ShareSource & { data: Uint8Array; failFrom?: number } = {
    name,
    size: data.length,
    type: '',
    data,
    read: async (offset, length) => {
      if (f.failFrom !== undefined && offset + length > f.failFrom) throw new Error('NotReadableError: file changed');
      return f.data.slice(offset, offset + length);
    },
  };
  return f;
}

describe('prepareShare', () => {
  it('describes the share exactly as the engine does (same info hash), complete and copying', async () => {
    const files = [file('a.bin', bytes(600 * KiB, 1)), file('b.bin', bytes(100 * KiB, 2))];
    const prepared = await prepareShare(files, jsHasher, { concurrency: 3 });
    const reference = await createShare(files, jsHasher);
    expect(prepared.created.infoHash).toEqual(reference.infoHash);
    expect(prepared.created.encodedMetadata).toEqual(reference.encodedMetadata);
    expect(prepared.summary).toMatchObject({ complete: true, role: 'seed', copy: { state: 'copying', bytes: 0 } });
    expect(prepared.summary.files.map((f) => f.offset)).toEqual([0, 600 * KiB]);
    // Stored meanwhile: an incomplete seed, so a reload before the copy ends resumes instead of seeding holes.
    expect(recordWhileCopying(prepared).summary).toMatchObject({ complete: false, haveChunks: 0 });
  });

  it('reports hashing progress in bytes up to the total', async () => {
    const seen: Array<[number, number]> = [];
    await prepareShare([file('a.bin', bytes(1000 * KiB, 3))], jsHasher, { onProgress: (d, t) => seen.push([d, t]) });
    expect(seen.at(-1)).toEqual([1000 * KiB, 1000 * KiB]);
    expect(seen.every(([d], i) => i === 0 || d > seen[i - 1]![0])).toBe(true);
  });
});

describe('copyIntoStore', () => {
  it('stores every chunk and gives each file its SHA-256', async () => {
    const a = bytes(700 * KiB, 4);
    const b = bytes(90 * KiB, 5);
    const prepared = await prepareShare([file('a.bin', a), file('b.bin', b)], jsHasher);
    const store = new IdbChunkStore('copy-ok', db);
    const progress: number[] = [];
    const hashes = await copyIntoStore(prepared, store, { onProgress: (n) => progress.push(n) });
    expect(hashes).toEqual([bytesToHex(sha256(a)), bytesToHex(sha256(b))]);
    expect(await store.list()).toEqual(Array.from({ length: prepared.summary.chunkCount }, (_, i) => i));
    expect(progress.at(-1)).toBe(a.length + b.length);
  });

  it('a read error mid-way leaves no half-stored share', async () => {
    const f = file('a.bin', bytes(2000 * KiB, 6));
    const prepared = await prepareShare([f], jsHasher);
    f.failFrom = 1500 * KiB;
    const store = new IdbChunkStore('copy-read-error', db, { batchSize: 2 });
    await expect(copyIntoStore(prepared, store)).rejects.toBeInstanceOf(SourceChangedError);
    expect(await store.list()).toEqual([]);
  });

  it('a file changed on disk after hashing is refused and nothing stays stored', async () => {
    const f = file('a.bin', bytes(1000 * KiB, 7));
    const prepared = await prepareShare([f], jsHasher);
    f.data = f.data.slice();
    f.data[900 * KiB] = f.data[900 * KiB]! ^ 0xff;
    const store = new IdbChunkStore('copy-changed', db);
    await expect(copyIntoStore(prepared, store)).rejects.toBeInstanceOf(SourceChangedError);
    expect(await store.list()).toEqual([]);
  });
});

describe('SeedStore', () => {
  it('serves checked chunks from the files until the copy is done, then from IndexedDB', async () => {
    const f = file('a.bin', bytes(1000 * KiB, 8));
    const prepared = await prepareShare([f], jsHasher);
    const idb = new IdbChunkStore('seed-store', db);
    const store = new SeedStore(idb, prepared.source);
    const count = prepared.summary.chunkCount;
    expect(await store.list()).toEqual(Array.from({ length: count }, (_, i) => i));
    const size = prepared.summary.chunkSize;
    expect(await store.get(1)).toEqual(f.data.slice(size, 2 * size));
    expect(await store.get(count)).toBeUndefined();
    f.data = new Uint8Array(f.data.length); // the file was overwritten on disk
    await expect(store.get(2)).rejects.toBeInstanceOf(SourceChangedError);
    await idb.put(0, new Uint8Array([1, 2, 3]));
    await idb.flush();
    store.dropSource();
    expect(await store.list()).toEqual([0]);
    expect(await store.get(0)).toEqual(new Uint8Array([1, 2, 3]));
  });
});
