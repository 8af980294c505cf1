import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { createShare, type ShareSource } from '../engine';
import { jsHasher } from '../engine/testing';
import {
  ChunkReader,
  copyChunks,
  forEachBounded,
  hashChunks,
  layoutOf,
  readVerified,
  SourceChangedError,
  type CopySink,
} from './chunk-pipeline';

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);

/** Lets every pending promise callback run (no clock involved). */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function memorySource(name: string, data: Uint8Array, onRead?: (offset: number) => void): ShareSource {
  return {
    name,
    size: data.length,
    type: '',
    read: async (offset, length) => {
      onRead?.(offset);
      return data.slice(offset, offset + length);
    },
  };
}

describe('forEachBounded', () => {
  it('never runs more than `concurrency` at once and starts indexes in order', async () => {
    const gates = Array.from({ length: 10 }, () => deferred<void>());
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const all = forEachBounded(10, 3, async (i) => {
      started.push(i);
      peak = Math.max(peak, ++running);
      await gates[i]!.promise;
      running--;
    });
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[2]!.resolve(); // out of order: the freed lane takes the next index
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const g of gates) g.resolve();
    await all;
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
  });

  it('after a failure starts nothing new and rejects only once the running work has settled', async () => {
    const gates = Array.from({ length: 10 }, () => deferred<void>());
    const started: number[] = [];
    const finished: number[] = [];
    let rejected = false;
    const all = forEachBounded(10, 3, async (i) => {
      started.push(i);
      await gates[i]!.promise;
      finished.push(i);
    }).catch((e: Error) => {
      rejected = true;
      return e;
    });
    await settle();
    gates[1]!.reject(new Error('read failed'));
    await settle();
    expect(started).toEqual([0, 1, 2]);
    expect(rejected).toBe(false); // 0 and 2 still run
    gates[0]!.resolve();
    gates[2]!.resolve();
    const error = await all;
    expect((error as Error).message).toBe('read failed');
    expect(finished).toEqual([0, 2]);
    expect(started).toEqual([0, 1, 2]);
  });

  it('handles nothing to do', async () => {
    let calls = 0;
    await forEachBounded(0, 8, async () => void calls++);
    expect(calls).toBe(0);
  });
});

describe('hashChunks', () => {
  it('gives the same chunk hashes and info hash as the engine sequential createShare, across file boundaries', async () => {
    const a = bytes(70_000, 1);
    const b = bytes(33_000, 2);
    const sources = [memorySource('a', a), memorySource('b', b)];
    const reader = new ChunkReader(sources, layoutOf(a.length + b.length, 16 * 1024));
    const hashes = await hashChunks(reader, jsHasher, { concurrency: 4 });
    const reference = await createShare(sources, jsHasher, { chunkSize: 16 * 1024 });
    expect(hashes).toEqual(reference.metadata.chunkHashes);
  });

  it('stores each hash at its index although chunks finish out of order, and reads each chunk once', async () => {
    const data = bytes(8 * 1000, 3);
    const reads: number[] = [];
    const gates = Array.from({ length: 8 }, () => deferred<void>());
    const source: ShareSource = {
      name: 'x',
      size: data.length,
      type: '',
      read: async (offset, length) => {
        reads.push(offset / 1000);
        await gates[offset / 1000]!.promise;
        return data.slice(offset, offset + length);
      },
    };
    const progress: number[] = [];
    const done = hashChunks(new ChunkReader([source], layoutOf(data.length, 1000)), jsHasher, {
      concurrency: 8,
      readBytes: 1000,
      onProgress: (b) => progress.push(b),
    });
    await settle();
    for (let i = 7; i >= 0; i--) {
      gates[i]!.resolve();
      await settle();
    }
    const hashes = await done;
    for (let i = 0; i < 8; i++)
      expect(hashes.subarray(i * 32, i * 32 + 32)).toEqual(sha256(data.slice(i * 1000, i * 1000 + 1000)));
    expect(reads.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(progress).toEqual([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000]); // monotonic, ends at the total
  });

  it('reads several chunks at a time (one read per file touched), each hashed on its own', async () => {
    const a = bytes(10_000, 7);
    const b = bytes(2_500, 8);
    const reads: Array<[string, number, number]> = [];
    const spy = (f: ShareSource): ShareSource => ({
      ...f,
      read: (o, l) => (reads.push([f.name, o, l]), f.read(o, l)),
    });
    const sources = [spy(memorySource('a', a)), spy(memorySource('b', b))];
    const reader = new ChunkReader(sources, layoutOf(12_500, 1000));
    const hashes = await hashChunks(reader, jsHasher, { readBytes: 4000, concurrency: 2 });
    const all = new Uint8Array([...a, ...b]);
    for (let i = 0; i < 13; i++)
      expect(hashes.subarray(i * 32, i * 32 + 32)).toEqual(
        sha256(all.subarray(i * 1000, Math.min(12_500, (i + 1) * 1000))),
      );
    reads.length = 0;
    await hashChunks(reader, jsHasher, { readBytes: 4000, concurrency: 1 });
    expect(reads).toEqual([
      ['a', 0, 4000],
      ['a', 4000, 4000],
      ['a', 8000, 2000], // chunks 8..11 span both files: one read from each
      ['b', 0, 2000],
      ['b', 2000, 500],
    ]);
  });

  it('applies the transform to every chunk before hashing (where private shares encrypt)', async () => {
    const data = bytes(5000, 4);
    const transform = async (index: number, chunk: Uint8Array) => chunk.map((x) => x ^ (index + 1));
    const reader = new ChunkReader([memorySource('x', data)], layoutOf(data.length, 2048), transform);
    const hashes = await hashChunks(reader, jsHasher);
    const last = data.slice(4096).map((x) => x ^ 3);
    expect(hashes.subarray(64, 96)).toEqual(sha256(last));
    expect(await reader.read(2)).toEqual(last);
  });

  it('rejects when a read fails mid-way and stops reading further chunks', async () => {
    const data = bytes(100 * 100, 5);
    const offsets: number[] = [];
    const source: ShareSource = {
      name: 'x',
      size: data.length,
      type: '',
      read: async (offset, length) => {
        offsets.push(offset);
        if (offset === 2000) throw new Error('NotReadableError');
        return data.slice(offset, offset + length);
      },
    };
    await expect(
      hashChunks(new ChunkReader([source], layoutOf(data.length, 100)), jsHasher, { concurrency: 4, readBytes: 100 }),
    ).rejects.toThrow('NotReadableError');
    expect(Math.max(...offsets)).toBeLessThan(2000 + 4 * 100); // no more than the lanes already running
  });
});

describe('readVerified and copyChunks', () => {
  const data = bytes(10 * 1024, 6);
  const layout = layoutOf(data.length, 1024);

  async function hashesOf(d: Uint8Array): Promise<Uint8Array> {
    return hashChunks(new ChunkReader([memorySource('x', d)], layout), jsHasher);
  }

  class MemorySink implements CopySink {
    readonly stored = new Map<number, Uint8Array>();
    flushes = 0;
    constructor(private readonly failAt = -1) {}
    async put(index: number, chunk: Uint8Array): Promise<void> {
      if (index === this.failAt) throw new Error('QuotaExceededError');
      this.stored.set(index, chunk);
    }
    async flush(): Promise<void> {
      this.flushes++;
    }
  }

  it('reports a file changed since it was hashed instead of returning its bytes', async () => {
    const hashes = await hashesOf(data);
    const changed = data.slice();
    changed[5000] = changed[5000]! ^ 1;
    const reader = new ChunkReader([memorySource('x', changed)], layout);
    expect(await readVerified(reader, hashes, jsHasher, 3)).toEqual(data.slice(3072, 4096));
    await expect(readVerified(reader, hashes, jsHasher, 4)).rejects.toBeInstanceOf(SourceChangedError);
  });

  it('reports a file that can no longer be read (deleted, truncated) as changed', async () => {
    const hashes = await hashesOf(data);
    const reader = new ChunkReader([memorySource('x', data.slice(0, 4000))], layout);
    await expect(readVerified(reader, hashes, jsHasher, 9)).rejects.toBeInstanceOf(SourceChangedError);
  });

  it('copies every chunk in order, feeding each to onChunk, with bounded queues and progress to the total', async () => {
    const hashes = await hashesOf(data);
    const sink = new MemorySink();
    const order: number[] = [];
    const progress: number[] = [];
    await copyChunks(new ChunkReader([memorySource('x', data)], layout), hashes, jsHasher, sink, {
      onChunk: (i) => order.push(i),
      onProgress: (b) => progress.push(b),
      maxQueuedBytes: 3 * 1024,
    });
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(progress.at(-1)).toBe(data.length);
    expect(sink.flushes).toBe(4); // after chunks 2, 5 and 8, and at the end
    for (let i = 0; i < 10; i++) expect(sink.stored.get(i)).toEqual(data.slice(i * 1024, (i + 1) * 1024));
  });

  it('stops at a changed chunk without storing it', async () => {
    const hashes = await hashesOf(data);
    const changed = data.slice();
    changed[6 * 1024] = changed[6 * 1024]! ^ 1;
    const sink = new MemorySink();
    await expect(
      copyChunks(new ChunkReader([memorySource('x', changed)], layout), hashes, jsHasher, sink),
    ).rejects.toBeInstanceOf(SourceChangedError);
    expect([...sink.stored.keys()]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rejects with the store error', async () => {
    const hashes = await hashesOf(data);
    await expect(
      copyChunks(new ChunkReader([memorySource('x', data)], layout), hashes, jsHasher, new MemorySink(4)),
    ).rejects.toThrow('QuotaExceededError');
  });

  it('stops when aborted (the share was removed)', async () => {
    const hashes = await hashesOf(data);
    const abort = new AbortController();
    const sink = new MemorySink();
    await expect(
      copyChunks(new ChunkReader([memorySource('x', data)], layout), hashes, jsHasher, sink, {
        signal: abort.signal,
        onChunk: (i) => i === 2 && abort.abort(),
      }),
    ).rejects.toThrow();
    expect(sink.stored.size).toBe(3);
  });
});
