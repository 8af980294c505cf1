import 'fake-indexeddb/auto';
import { createStore, type UseStore } from 'idb-keyval';
import { describe, expect, it, vi } from 'vitest';
import { runChunkStoreContract } from '../engine/testing/index';
import { ChunkWriteError, IdbChunkStore, StorageFullError } from './idb-chunk-store';
import { isStorageFull } from './share-errors';

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

/** A chunk database whose write transactions fail while `failing` says so (reads and deletes pass). */
function failingWrites(db: UseStore, error: () => Error) {
  const state = { failing: true, attempts: 0 };
  const wrapped: UseStore = (mode, callback) => {
    if (mode === 'readwrite') {
      state.attempts++;
      if (state.failing) return Promise.reject(error());
    }
    return db(mode, callback);
  };
  return { db: wrapped, state };
}

const diskError = () => new DOMException('the backing store is gone', 'UnknownError');
const quotaError = () => new DOMException('quota', 'QuotaExceededError');

describe('IdbChunkStore.accept: a downloaded chunk is announceable before its write lands', () => {
  const db = createStore('accept-db', 'chunks');

  it('resolves before the write, serves the chunk from memory, and only a written chunk survives a reload', async () => {
    const s = new IdbChunkStore('early', db, { batchSize: 1000, flushDelayMs: 10_000 });
    await s.accept(3, new Uint8Array([7, 7, 7])); // resolves with the batch still queued
    expect(s.unwrittenCount).toBe(1);
    expect(await s.get(3)).toEqual(new Uint8Array([7, 7, 7]));
    expect(await (await s.getBlob(3))!.arrayBuffer()).toEqual(new Uint8Array([7, 7, 7]).buffer);
    expect(await new IdbChunkStore('early', db).list()).toEqual([]); // a reload now would not claim it
    await s.flush();
    expect(s.unwrittenCount).toBe(0);
    const reloaded = new IdbChunkStore('early', db);
    expect(await reloaded.list()).toEqual([3]);
    expect(await reloaded.get(3)).toEqual(new Uint8Array([7, 7, 7]));
  });

  it('waits for the write once the unwritten chunks pass their memory budget (a slow disk slows the download)', async () => {
    const s = new IdbChunkStore('budget', db, { batchSize: 1000, flushDelayMs: 10_000, maxUnwrittenBytes: 8 });
    await s.accept(0, new Uint8Array(8)); // within the budget: at once
    let settled = false;
    const over = s.accept(1, new Uint8Array(8)).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false); // over it: resolves only when written
    expect(await s.get(1)).toEqual(new Uint8Array(8)); // and is served meanwhile
    await s.flush();
    await over;
    expect(s.unwrittenCount).toBe(0);
    await s.accept(2, new Uint8Array(8)); // the budget is free again
  });

  it('retries a failed write; a write that lands on a retry reports nothing', async () => {
    const { db: flaky, state } = failingWrites(db, diskError);
    const failed: Error[] = [];
    const s = new IdbChunkStore('retried', flaky, { retryDelayMs: 0, onWriteFailed: (e) => failed.push(e) });
    await s.accept(0, new Uint8Array([1]));
    const first = s.flush();
    await vi.waitFor(() => expect(state.attempts).toBe(1));
    state.failing = false;
    await first;
    expect(state.attempts).toBe(2);
    expect(failed).toEqual([]);
    expect(await new IdbChunkStore('retried', db).list()).toEqual([0]);
  });

  it('a write that keeps failing: reported once with its chunks, kept in memory, later accepts refused, nothing claimed after a reload', async () => {
    const { db: broken, state } = failingWrites(db, diskError);
    const failed: ChunkWriteError[] = [];
    const s = new IdbChunkStore('broken', broken, {
      retryDelayMs: 0,
      writeAttempts: 3,
      onWriteFailed: (e) => failed.push(e),
    });
    await s.accept(4, new Uint8Array([4]));
    await s.accept(5, new Uint8Array([5]));
    await expect(s.flush()).rejects.toThrow(/chunks 4, 5 could not be stored: the backing store is gone/);
    expect(state.attempts).toBe(3);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.indexes).toEqual([4, 5]);
    // Announced to peers, so still served until the session stops.
    expect(await s.get(5)).toEqual(new Uint8Array([5]));
    await expect(s.accept(6, new Uint8Array([6]))).rejects.toBe(failed[0]);
    expect(await s.get(6)).toBeUndefined();
    expect(failed).toHaveLength(1);
    expect(await new IdbChunkStore('broken', db).list()).toEqual([]);
  });

  it('a full disk is not retried, and is reported as StorageFullError', async () => {
    const { db: full, state } = failingWrites(db, quotaError);
    const failed: ChunkWriteError[] = [];
    const s = new IdbChunkStore('full', full, { retryDelayMs: 0, onWriteFailed: (e) => failed.push(e) });
    await s.accept(0, new Uint8Array([1]));
    await expect(s.flush()).rejects.toThrow(ChunkWriteError);
    expect(state.attempts).toBe(1);
    expect(failed[0]!.cause).toBeInstanceOf(StorageFullError);
    expect(isStorageFull(failed[0])).toBe(true);
  });

  it('a failed put (the background copy) rejects its own promise and does not stop accepts', async () => {
    const { db: broken, state } = failingWrites(db, diskError);
    const failed: Error[] = [];
    const s = new IdbChunkStore('copy', broken, { retryDelayMs: 0, onWriteFailed: (e) => failed.push(e) });
    const put = s.put(0, new Uint8Array([1]));
    await s.flush();
    await expect(put).rejects.toThrow(/backing store is gone/);
    expect(await s.get(0)).toBeUndefined(); // not kept: its caller knows it failed
    expect(failed).toEqual([]);
    state.failing = false;
    await s.accept(1, new Uint8Array([2]));
    await s.flush();
    expect(await new IdbChunkStore('copy', db).list()).toEqual([1]);
  });

  it('clear drops accepted chunks not yet written, and a failed store takes chunks again afterwards', async () => {
    const { db: broken, state } = failingWrites(db, diskError);
    const s = new IdbChunkStore('cleared', broken, { retryDelayMs: 0, writeAttempts: 1 });
    await s.accept(0, new Uint8Array([1]));
    await expect(s.flush()).rejects.toThrow(ChunkWriteError);
    state.failing = false;
    await s.clear();
    expect(await s.list()).toEqual([]);
    await s.accept(2, new Uint8Array([3]));
    await s.flush();
    expect(await new IdbChunkStore('cleared', db).list()).toEqual([2]);
  });
});
