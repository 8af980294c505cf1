/**
 * Verified chunks in IndexedDB through idb-keyval, in a database of their own.
 * Key [swarmId, index], value a Blob: Chrome keeps values over 64 KiB as files on disk, and a Blob
 * read back stays a disk-backed handle, so a file can be saved as a Blob of Blobs with flat memory.
 * Writes are batched: many puts share one transaction (several times faster than one each).
 */
import { createStore, type UseStore } from 'idb-keyval';
import type { ChunkStore } from '../engine/index';

/** The shared database of every share's chunks. */
export function chunkDatabase(): UseStore {
  return createStore('swarmdrop-chunks', 'chunks');
}

/** The disk (or the quota) is full: the share can't go on. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

function promisify<T>(request: IDBRequest<T> | IDBTransaction): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if ('oncomplete' in request && !(request instanceof IDBRequest)) {
      request.oncomplete = () => resolve(undefined as T);
      request.onabort = request.onerror = () => reject(request.error ?? new Error('transaction aborted'));
      return;
    }
    const r = request as IDBRequest<T>;
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function asStoreError(err: unknown): Error {
  const e = err as DOMException | undefined;
  if (e?.name === 'QuotaExceededError') return new StorageFullError('no room left in browser storage');
  return e instanceof Error ? e : new Error(String(err));
}

interface Batch {
  chunks: Map<number, Uint8Array>;
  done: Promise<void>;
  resolve(): void;
  reject(e: Error): void;
}

export interface IdbChunkStoreOptions {
  /** Flush after this many queued chunks... */
  batchSize?: number;
  /** ...or this long after the first one, whichever comes first. */
  flushDelayMs?: number;
}

export class IdbChunkStore implements ChunkStore {
  private batch: Batch | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly batchSize: number;
  private readonly flushDelayMs: number;

  constructor(
    readonly swarmId: string,
    private readonly db: UseStore = chunkDatabase(),
    opts: IdbChunkStoreOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 32;
    this.flushDelayMs = opts.flushDelayMs ?? 15;
  }

  private range(): IDBKeyRange {
    return IDBKeyRange.bound([this.swarmId, 0], [this.swarmId, Number.MAX_SAFE_INTEGER]);
  }

  async get(index: number): Promise<Uint8Array | undefined> {
    const queued = this.batch?.chunks.get(index);
    if (queued) return queued;
    const blob = await this.getBlob(index);
    return blob ? new Uint8Array(await blob.arrayBuffer()) : undefined;
  }

  /** The stored Blob itself (a disk-backed handle), for saving files without reading them into memory. */
  async getBlob(index: number): Promise<Blob | undefined> {
    const queued = this.batch?.chunks.get(index);
    if (queued) return new Blob([queued as Uint8Array<ArrayBuffer>]);
    const value = await this.db('readonly', (s) => promisify<unknown>(s.get([this.swarmId, index])));
    return value instanceof Blob ? value : undefined;
  }

  put(index: number, data: Uint8Array): Promise<void> {
    if (!this.batch) {
      let resolve!: () => void;
      let reject!: (e: Error) => void;
      const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      this.batch = { chunks: new Map(), done, resolve, reject };
      this.timer = setTimeout(() => void this.flush(), this.flushDelayMs);
    }
    const batch = this.batch;
    batch.chunks.set(index, data);
    if (batch.chunks.size >= this.batchSize) void this.flush();
    return batch.done;
  }

  /** Writes every queued chunk in one transaction. */
  async flush(): Promise<void> {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    clearTimeout(this.timer);
    try {
      await this.db('readwrite', (s) => {
        for (const [index, data] of batch.chunks)
          s.put(new Blob([data as Uint8Array<ArrayBuffer>]), [this.swarmId, index]);
        return promisify(s.transaction);
      });
      batch.resolve();
    } catch (err) {
      batch.reject(asStoreError(err));
    }
    return batch.done.catch(() => undefined);
  }

  async list(): Promise<number[]> {
    const keys = await this.db('readonly', (s) => promisify(s.getAllKeys(this.range())));
    const indexes = new Set(keys.map((k) => (k as [string, number])[1]));
    for (const i of this.batch?.chunks.keys() ?? []) indexes.add(i);
    return [...indexes].sort((a, b) => a - b);
  }

  async clear(): Promise<void> {
    await this.flush();
    await this.db('readwrite', (s) => {
      s.delete(this.range());
      return promisify(s.transaction);
    });
  }
}
