/** A ChunkStore in memory: tests, the simulator, and a fallback where IndexedDB is missing. */
import type { ChunkStore } from './types';

export class MemoryChunkStore implements ChunkStore {
  private readonly chunks = new Map<number, Uint8Array>();

  /** Returns the stored array itself (no copy): callers must not mutate it. */
  async get(index: number): Promise<Uint8Array | undefined> {
    return this.chunks.get(index);
  }

  /** Keeps `data` by reference (no copy): the engine hands over buffers it no longer touches. */
  async put(index: number, data: Uint8Array): Promise<void> {
    if (!Number.isInteger(index) || index < 0) throw new RangeError(`bad chunk index ${index}`);
    this.chunks.set(index, data);
  }

  async list(): Promise<number[]> {
    return [...this.chunks.keys()].sort((a, b) => a - b);
  }

  async clear(): Promise<void> {
    this.chunks.clear();
  }
}
