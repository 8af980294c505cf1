import 'fake-indexeddb/auto';
import { createStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { runChunkStoreContract } from '../engine/testing/index';
import { IdbChunkStore } from './idb-chunk-store';

let n = 0;
runChunkStoreContract(
  'IdbChunkStore (fake-indexeddb)',
  () => new IdbChunkStore(`swarm-${n++}`, createStore('contract-db', 'chunks')),
);

describe('IdbChunkStore specifics', () => {
  const db = createStore('specifics-db', 'chunks');

  it('keeps shares apart: clearing one leaves the other', async () => {
    const a = new IdbChunkStore('a', db);
    const b = new IdbChunkStore('b', db);
    await Promise.all([a.put(0, new Uint8Array([1])), b.put(0, new Uint8Array([2])), b.put(5, new Uint8Array([3]))]);
    await a.clear();
    expect(await a.list()).toEqual([]);
    expect(await b.list()).toEqual([0, 5]);
    expect(await b.get(5)).toEqual(new Uint8Array([3]));
  });

  it('batches puts into one transaction and serves queued chunks before they are written', async () => {
    const s = new IdbChunkStore('batch', db, { batchSize: 1000, flushDelayMs: 10_000 });
    const done = s.put(1, new Uint8Array([9, 9]));
    expect(await s.get(1)).toEqual(new Uint8Array([9, 9])); // still queued
    expect(await s.list()).toEqual([1]);
    await s.flush();
    await done;
    const fresh = new IdbChunkStore('batch', db);
    expect(await fresh.get(1)).toEqual(new Uint8Array([9, 9]));
  });

  it('returns stored chunks as Blobs for saving', async () => {
    const s = new IdbChunkStore('blob', db);
    await s.put(0, new Uint8Array([1, 2, 3]));
    const blob = await s.getBlob(0);
    expect(blob?.size).toBe(3);
    expect(await s.getBlob(1)).toBeUndefined();
  });
});
