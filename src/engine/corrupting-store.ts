/**
 * A chunk store whose reads come back with every byte flipped: an engine over it uploads nothing
 * but corrupt blocks (the tampering peer of the engine tests and of the e2e suite, which turns it
 * on with the worker's `tamper` test flag). Writes and listing pass through untouched.
 */
import type { ChunkStore } from './types';

export function corruptingStore(store: ChunkStore): ChunkStore {
  return {
    async get(index) {
      const chunk = await store.get(index);
      return chunk?.map((b) => b ^ 0xff);
    },
    put: (index, data) => store.put(index, data),
    list: () => store.list(),
    clear: () => store.clear(),
  };
}
