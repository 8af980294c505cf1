/**
 * The ChunkStore contract as a vitest suite, run against every implementation:
 *   runChunkStoreContract('MemoryChunkStore', () => new MemoryChunkStore());
 * The app's IndexedDB store runs the same function (in a test with fake-indexeddb or in the browser).
 * `makeStore` must return a fresh, empty store each call; `dispose` (optional) cleans one up.
 */
import { describe, expect, it } from 'vitest';
import type { ChunkStore } from '../types';

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7) & 255;
  return b;
}

export function runChunkStoreContract(
  name: string,
  makeStore: () => ChunkStore | Promise<ChunkStore>,
  dispose?: (store: ChunkStore) => void | Promise<void>,
): void {
  describe(`ChunkStore contract: ${name}`, () => {
    const withStore = (fn: (store: ChunkStore) => Promise<void>) => async () => {
      const store = await makeStore();
      try {
        await fn(store);
      } finally {
        await dispose?.(store);
      }
    };

    it(
      'starts empty',
      withStore(async (store) => {
        expect(await store.list()).toEqual([]);
        expect(await store.get(0)).toBeUndefined();
      }),
    );

    it(
      'returns exactly the bytes put, by index',
      withStore(async (store) => {
        const a = bytes(256 * 1024, 1);
        const b = bytes(1000, 2);
        await store.put(3, a);
        await store.put(0, b);
        expect(await store.get(3)).toEqual(a);
        expect(await store.get(0)).toEqual(b);
        expect(await store.get(1)).toBeUndefined();
      }),
    );

    it(
      'keeps a chunk given as a view into a larger buffer as just that view',
      withStore(async (store) => {
        const big = bytes(4096, 3);
        await store.put(1, big.subarray(100, 300));
        const got = await store.get(1);
        expect(got?.length).toBe(200);
        expect(got).toEqual(big.slice(100, 300));
      }),
    );

    it(
      'lists stored indexes in ascending order',
      withStore(async (store) => {
        for (const i of [9, 2, 5]) await store.put(i, bytes(10, i));
        expect(await store.list()).toEqual([2, 5, 9]);
      }),
    );

    it(
      'overwrites a chunk put twice',
      withStore(async (store) => {
        await store.put(2, bytes(10, 1));
        await store.put(2, bytes(12, 2));
        expect(await store.get(2)).toEqual(bytes(12, 2));
        expect(await store.list()).toEqual([2]);
      }),
    );

    it(
      'clear drops every chunk',
      withStore(async (store) => {
        await store.put(0, bytes(10, 1));
        await store.put(1, bytes(10, 2));
        await store.clear();
        expect(await store.list()).toEqual([]);
        expect(await store.get(0)).toBeUndefined();
        await store.put(4, bytes(3, 3));
        expect(await store.list()).toEqual([4]);
      }),
    );

    it(
      'handles many concurrent puts',
      withStore(async (store) => {
        await Promise.all(Array.from({ length: 64 }, (_, i) => store.put(i, bytes(1024, i))));
        expect(await store.list()).toEqual(Array.from({ length: 64 }, (_, i) => i));
        expect(await store.get(63)).toEqual(bytes(1024, 63));
      }),
    );
  });
}
