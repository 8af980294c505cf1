/**
 * The simulator's chunk store: what every peer stores is the share's one copy of that chunk.
 * The engine only ever puts a chunk whose SHA-256 it verified, so storing the shared original
 * instead of the engine's buffer (a per-peer copy when it reassembles blocks) loses nothing, and
 * 1,000 peers x 64 MiB fit in 64 MiB. With `verify`, each put is also compared byte for byte
 * with the original, and a difference is counted (the tests use it; big runs skip it).
 */
import type { ChunkStore } from '../engine/index';
import { sameBytes } from './content';

export class SharedChunkStore implements ChunkStore {
  private readonly have = new Set<number>();
  /** Puts whose bytes differed from the original (only counted with `verify`). */
  mismatches = 0;

  constructor(
    private readonly originals: readonly Uint8Array[],
    private readonly verify: boolean,
  ) {}

  async get(index: number): Promise<Uint8Array | undefined> {
    return this.have.has(index) ? this.originals[index] : undefined;
  }

  async put(index: number, data: Uint8Array): Promise<void> {
    const original = this.originals[index];
    if (!original) throw new RangeError(`bad chunk index ${index}`);
    if (this.verify && !sameBytes(original, data)) this.mismatches++;
    this.have.add(index);
  }

  async list(): Promise<number[]> {
    return [...this.have].sort((a, b) => a - b);
  }

  async clear(): Promise<void> {
    this.have.clear();
  }
}
