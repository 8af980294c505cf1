/**
 * Verified chunks in IndexedDB through idb-keyval, in a database of their own.
 * Key [swarmId, index], value a Blob: Chrome keeps values over 64 KiB as files on disk, and a Blob
 * read back stays a disk-backed handle, so a file can be saved as a Blob of Blobs with flat memory.
 * Writes are batched: many puts share one transaction (several times faster than one each).
 *
 * Two ways in: `put` (the share's background copy) resolves once the chunk is written; `accept`
 * (a downloaded chunk, src/worker/seed-store.ts) resolves at once, so the engine announces the
 * chunk and serves it onward without waiting for the batch (each hop of a swarm would otherwise
 * add a batch delay plus a transaction). Until its write lands an accepted chunk is served from
 * memory; a failed write is retried, and if it still fails the chunk stays in memory (it was
 * announced), every later accept is refused, and `onWriteFailed` reports it. Only written chunks
 * are in IndexedDB, so a reload never claims a chunk that was not stored.
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

/** Accepted chunks could not be written to IndexedDB, even after retrying. */
export class ChunkWriteError extends Error {
  override name = 'ChunkWriteError';
  constructor(
    readonly indexes: readonly number[],
    readonly cause: Error,
  ) {
    super(`chunks ${indexes.join(', ')} could not be stored: ${cause.message}`, { cause });
  }
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
  /** Transactions tried per batch before its write counts as failed (a full disk is not retried). */
  writeAttempts?: number;
  /** Wait before retry k (1, 2, ...) is k times this. */
  retryDelayMs?: number;
  /** Accepted chunks whose write failed for good (called once: later accepts are refused). */
  onWriteFailed?: (error: ChunkWriteError) => void;
  /**
   * Bytes of unwritten chunks kept in memory before `accept` waits for its write, as `put` does: a
   * disk slower than the swarm slows the download instead of filling the worker's memory.
   */
  maxUnwrittenBytes?: number;
}

export class IdbChunkStore implements ChunkStore {
  private batch: Batch | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Every chunk put or accepted whose write has not landed: served from here. */
  private readonly unwritten = new Map<number, Uint8Array>();
  private unwrittenBytes = 0;
  /** Of those, the accepted ones (nobody awaits their write: a failure is reported here). */
  private readonly accepted = new Set<number>();
  private readonly writing = new Set<Promise<void>>();
  /** Set once an accepted chunk could not be written: accepts are refused from then on. */
  private failure: ChunkWriteError | undefined;
  private readonly batchSize: number;
  private readonly flushDelayMs: number;
  private readonly writeAttempts: number;
  private readonly retryDelayMs: number;
  private readonly maxUnwrittenBytes: number;

  constructor(
    readonly swarmId: string,
    private readonly db: UseStore = chunkDatabase(),
    private readonly opts: IdbChunkStoreOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 32;
    this.flushDelayMs = opts.flushDelayMs ?? 15;
    this.writeAttempts = Math.max(1, opts.writeAttempts ?? 3);
    this.retryDelayMs = opts.retryDelayMs ?? 100;
    this.maxUnwrittenBytes = opts.maxUnwrittenBytes ?? 16 * 1024 * 1024;
  }

  private range(): IDBKeyRange {
    return IDBKeyRange.bound([this.swarmId, 0], [this.swarmId, Number.MAX_SAFE_INTEGER]);
  }

  async get(index: number): Promise<Uint8Array | undefined> {
    const unwritten = this.unwritten.get(index);
    if (unwritten) return unwritten;
    const blob = await this.getBlob(index);
    return blob ? new Uint8Array(await blob.arrayBuffer()) : undefined;
  }

  /** The stored Blob itself (a disk-backed handle), for saving files without reading them into memory. */
  async getBlob(index: number): Promise<Blob | undefined> {
    const unwritten = this.unwritten.get(index);
    if (unwritten) return new Blob([unwritten as Uint8Array<ArrayBuffer>]);
    const value = await this.db('readonly', (s) => promisify<unknown>(s.get([this.swarmId, index])));
    return value instanceof Blob ? value : undefined;
  }

  /** Queues the chunk; resolves once it is written (rejects if its batch could not be). */
  put(index: number, data: Uint8Array): Promise<void> {
    this.accepted.delete(index);
    return this.enqueue(index, data);
  }

  /**
   * Takes a verified chunk that may be announced at once: resolves as soon as `get` returns it.
   * Rejects (nothing is kept) once an earlier accepted chunk could not be written.
   */
  accept(index: number, data: Uint8Array): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.accepted.add(index);
    const written = this.enqueue(index, data);
    if (this.unwrittenBytes > this.maxUnwrittenBytes) return written; // the disk is behind: wait for it
    void written.catch(() => undefined); // reported by write()
    return Promise.resolve();
  }

  /** Chunks whose write has not landed yet (accepted or put). */
  get unwrittenCount(): number {
    return this.unwritten.size;
  }

  private enqueue(index: number, data: Uint8Array): Promise<void> {
    if (!this.batch) {
      let resolve!: () => void;
      let reject!: (e: Error) => void;
      const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      this.batch = { chunks: new Map(), done, resolve, reject };
      this.timer = setTimeout(() => void this.flush().catch(() => undefined), this.flushDelayMs);
    }
    const batch = this.batch;
    batch.chunks.set(index, data);
    this.unwrittenBytes += data.byteLength - (this.unwritten.get(index)?.byteLength ?? 0);
    this.unwritten.set(index, data);
    if (batch.chunks.size >= this.batchSize) void this.flush().catch(() => undefined);
    return batch.done;
  }

  /**
   * Writes what is queued and waits for every write under way. Rejects if an accepted chunk could
   * not be written (so a share is never recorded complete without all its chunks stored).
   */
  async flush(): Promise<void> {
    const batch = this.batch;
    if (batch) {
      this.batch = undefined;
      clearTimeout(this.timer);
      const writing = this.write(batch);
      this.writing.add(writing);
      void writing.finally(() => this.writing.delete(writing));
    }
    await Promise.all([...this.writing]);
    if (this.failure) throw this.failure;
  }

  /** One batch in one transaction, tried up to writeAttempts times; settles batch.done. */
  private async write(batch: Batch): Promise<void> {
    let error: Error | undefined;
    for (let attempt = 1; attempt <= this.writeAttempts; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, (attempt - 1) * this.retryDelayMs));
      try {
        await this.db('readwrite', (s) => {
          for (const [index, data] of batch.chunks)
            s.put(new Blob([data as Uint8Array<ArrayBuffer>]), [this.swarmId, index]);
          return promisify(s.transaction);
        });
        error = undefined;
        break;
      } catch (err) {
        error = asStoreError(err);
        if (error instanceof StorageFullError) break; // retrying can't make room
      }
    }
    if (!error) {
      for (const [index, data] of batch.chunks) {
        // A later put of the same index (a newer batch) still owns its entry.
        if (this.unwritten.get(index) === data) {
          this.dropUnwritten(index, data);
          this.accepted.delete(index);
        }
      }
      batch.resolve();
      return;
    }
    batch.reject(error);
    // Accepted chunks stay in memory (peers were told we have them); put ones were awaited, and dropped.
    const lost = [...batch.chunks.keys()].filter((i) => this.accepted.has(i));
    for (const [index, data] of batch.chunks)
      if (!this.accepted.has(index) && this.unwritten.get(index) === data) this.dropUnwritten(index, data);
    if (lost.length === 0 || this.failure) return;
    this.failure = new ChunkWriteError(lost, error);
    this.opts.onWriteFailed?.(this.failure);
  }

  private dropUnwritten(index: number, data: Uint8Array): void {
    this.unwritten.delete(index);
    this.unwrittenBytes -= data.byteLength;
  }

  async list(): Promise<number[]> {
    const keys = await this.db('readonly', (s) => promisify(s.getAllKeys(this.range())));
    const indexes = new Set(keys.map((k) => (k as [string, number])[1]));
    for (const i of this.unwritten.keys()) indexes.add(i);
    return [...indexes].sort((a, b) => a - b);
  }

  /** Drops every chunk of this share, queued, in memory and stored; the store takes chunks again. */
  async clear(): Promise<void> {
    await this.flush().catch(() => undefined);
    this.unwritten.clear();
    this.unwrittenBytes = 0;
    this.accepted.clear();
    this.failure = undefined;
    await this.db('readwrite', (s) => {
      s.delete(this.range());
      return promisify(s.transaction);
    });
  }
}
