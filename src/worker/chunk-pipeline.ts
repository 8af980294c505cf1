/**
 * Share creation's pure stages (no DOM, no IndexedDB: unit-tested in Node).
 *
 *   read chunk i (files' bytes) -> transform(i, bytes) -> hash   (hashChunks: the link)
 *   read chunk i -> transform -> check hash -> per-file SHA-256 -> store   (copyChunks: afterwards)
 *
 * `ChunkReader` is the one place a chunk's bytes are made: the hash pass, the background copy and
 * the sharer's uploads before the copy is done all read through it, so a per-chunk transform
 * (private shares encrypt here, before hashing) applies everywhere at once and the chunk hashes
 * cover exactly the bytes peers receive.
 */
import { readConcatenated, type Hasher, type ShareSource } from '../engine';

/** Turns a chunk's plain bytes into the bytes that are hashed, stored and sent (deterministic per index). */
export type ChunkTransform = (index: number, bytes: Uint8Array) => Promise<Uint8Array>;

export interface ChunkLayout {
  chunkSize: number;
  totalSize: number;
  chunkCount: number;
}

export function layoutOf(totalSize: number, chunkSize: number): ChunkLayout {
  return { chunkSize, totalSize, chunkCount: Math.ceil(totalSize / chunkSize) };
}

/** Reads chunk `index` of the concatenated files, through the transform if there is one. */
export class ChunkReader {
  constructor(
    readonly sources: readonly ShareSource[],
    readonly layout: ChunkLayout,
    private readonly transform?: ChunkTransform,
  ) {}

  length(index: number): number {
    const { chunkSize, totalSize } = this.layout;
    return Math.min(chunkSize, totalSize - index * chunkSize);
  }

  async read(index: number): Promise<Uint8Array> {
    return (await this.readMany(index, 1))[0]!;
  }

  /**
   * Chunks first..first+count-1 from one read per file touched (a File read is an IPC round trip
   * in Chromium: fewer, larger reads are faster), split without copying, each transformed.
   */
  async readMany(first: number, count: number): Promise<Uint8Array[]> {
    return Promise.all(await this.readEach(first, count));
  }

  /**
   * readMany's chunks, each resolving as soon as its own transform is done: a chunk can be hashed
   * while the next one is still being encrypted (crypto.subtle runs them on other threads).
   */
  async readEach(first: number, count: number): Promise<Promise<Uint8Array>[]> {
    const { chunkSize } = this.layout;
    const offset = first * chunkSize;
    const length = Math.min(this.layout.totalSize, (first + count) * chunkSize) - offset;
    const bytes = await this.readRange(offset, length);
    const t = this.transform;
    return Array.from({ length: count }, (_, k) => {
      const chunk = bytes.subarray(k * chunkSize, Math.min(length, (k + 1) * chunkSize));
      return t ? t(first + k, chunk) : Promise.resolve(chunk);
    });
  }

  /** Bytes of the concatenated files; straight from the file when the range lies within one (no copy). */
  private async readRange(offset: number, length: number): Promise<Uint8Array> {
    let start = 0;
    for (const f of this.sources) {
      if (offset >= start && offset + length <= start + f.size) {
        const bytes = await f.read(offset - start, length);
        if (bytes.length !== length)
          throw new Error(`file ${f.name} returned ${bytes.length} bytes, expected ${length}`);
        return bytes;
      }
      start += f.size;
    }
    return readConcatenated(this.sources, offset, length);
  }
}

/**
 * Runs `work(i)` for i = 0..count-1 with at most `concurrency` running at once, taking indexes in
 * order. After the first failure no new index starts; it rejects with that error once the
 * running ones have settled (so nothing is still writing when the caller cleans up).
 */
export async function forEachBounded(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (!failure && next < count) {
      const index = next++;
      try {
        await work(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, lane));
  if (failure) throw failure.error;
}

export interface HashChunksOptions {
  /** Reads under way or being hashed at once: memory is about concurrency x readBytes. */
  concurrency?: number;
  /** Bytes per read (whole chunks, at least one): READ_BYTES by default. */
  readBytes?: number;
  /** Bytes hashed so far (out of the layout's total), after each chunk. */
  onProgress?: (bytes: number) => void;
}

/**
 * The defaults: 3 reads of 4 MiB in flight, every chunk of a read hashed at once: crypto.subtle's
 * thread pool stays busy while the next read is under way, and memory stays at ~12 MiB.
 */
export const HASH_CONCURRENCY = 3;
export const READ_BYTES = 4 * 1024 * 1024;

/** Every chunk's SHA-256, in index order (count x 32 bytes), each chunk read once. */
export async function hashChunks(
  reader: ChunkReader,
  hasher: Hasher,
  opts: HashChunksOptions = {},
): Promise<Uint8Array> {
  const { chunkCount, chunkSize } = reader.layout;
  const perRead = Math.max(1, Math.floor((opts.readBytes ?? READ_BYTES) / chunkSize));
  const hashes = new Uint8Array(chunkCount * 32);
  let bytes = 0;
  await forEachBounded(Math.ceil(chunkCount / perRead), opts.concurrency ?? HASH_CONCURRENCY, async (r) => {
    const first = r * perRead;
    const chunks = await reader.readEach(first, Math.min(perRead, chunkCount - first));
    await Promise.all(
      chunks.map(async (pending, k) => {
        const chunk = await pending;
        hashes.set(await hasher.sha256(chunk), (first + k) * 32);
        bytes += chunk.length;
        opts.onProgress?.(bytes);
      }),
    );
  });
  return hashes;
}

/** A file's bytes differ from what was shared (changed, truncated or deleted since). */
export class SourceChangedError extends Error {
  override name = 'SourceChangedError';
}

export function sameHash(a: Uint8Array, hashes: Uint8Array, index: number): boolean {
  const b = hashes.subarray(index * 32, index * 32 + 32);
  return a.length === 32 && a.every((x, k) => x === b[k]);
}

/** Reads chunk `index` and checks it against its hash in the metadata: what a sharer serves from its own files. */
export async function readVerified(
  reader: ChunkReader,
  chunkHashes: Uint8Array,
  hasher: Hasher,
  index: number,
): Promise<Uint8Array> {
  let chunk: Uint8Array;
  try {
    chunk = await reader.read(index);
  } catch (err) {
    // Chromium: NotReadableError once the file on disk changed after it was picked.
    throw new SourceChangedError(`chunk ${index} can't be read from the shared file: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (!sameHash(await hasher.sha256(chunk), chunkHashes, index))
    throw new SourceChangedError(`chunk ${index} of the shared file changed since it was shared`);
  return chunk;
}

export interface CopySink {
  /** Resolves once the chunk is durably stored (may batch). */
  put(index: number, chunk: Uint8Array): Promise<void>;
  /** Writes what is queued. */
  flush(): Promise<void>;
}

export interface CopyOptions {
  /** Bytes copied so far, after each chunk. */
  onProgress?: (bytes: number) => void;
  /** Each chunk in order, for sequential digests (the per-file SHA-256); awaited when it returns a promise. */
  onChunk?: (index: number, chunk: Uint8Array) => unknown;
  /** Stops before the next chunk (the share was removed meanwhile). */
  signal?: AbortSignal;
  /** Bytes queued for the sink before waiting for it: bounds memory. */
  maxQueuedBytes?: number;
  /** Awaited after each chunk with the bytes copied so far (the e2e tests' slow-copy switch). */
  pace?: (bytes: number) => Promise<void>;
}

/**
 * Copies every chunk, in order, from the reader (checked against its hash) into the sink. Rejects
 * on the first read, check or store error, or on abort, after the writes under way have settled.
 */
export async function copyChunks(
  reader: ChunkReader,
  chunkHashes: Uint8Array,
  hasher: Hasher,
  sink: CopySink,
  opts: CopyOptions = {},
): Promise<void> {
  const maxQueued = opts.maxQueuedBytes ?? 16 * 1024 * 1024;
  let pending: Promise<void>[] = [];
  let queued = 0;
  let bytes = 0;
  const settle = async (): Promise<void> => {
    await sink.flush();
    const results = await Promise.allSettled(pending);
    pending = [];
    queued = 0;
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  try {
    for (let i = 0; i < reader.layout.chunkCount; i++) {
      opts.signal?.throwIfAborted();
      const chunk = await readVerified(reader, chunkHashes, hasher, i);
      await opts.onChunk?.(i, chunk);
      const put = sink.put(i, chunk);
      put.catch(() => undefined); // observed in settle(); not an unhandled rejection meanwhile
      pending.push(put);
      queued += chunk.length;
      if (queued >= maxQueued) await settle();
      bytes += chunk.length;
      opts.onProgress?.(bytes);
      await opts.pace?.(bytes);
    }
  } catch (err) {
    await Promise.allSettled(pending);
    throw err;
  }
  await settle();
}
