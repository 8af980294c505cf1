/**
 * A share's chunk store in the worker: IndexedDB, plus, for a share just created here, the
 * sharer's own files until their copy into IndexedDB is done. Seeding starts from the files at
 * once (every chunk read is checked against its hash, so a file changed on disk is reported, never
 * served), and moves to IndexedDB when the background copy finishes.
 */
import type { ChunkStore, Hasher } from '../engine';
import { readVerified, type ChunkReader } from './chunk-pipeline';
import type { IdbChunkStore } from './idb-chunk-store';

export interface ChunkSource {
  reader: ChunkReader;
  chunkHashes: Uint8Array;
  hasher: Hasher;
}

export class SeedStore implements ChunkStore {
  private source: ChunkSource | undefined;

  constructor(
    readonly idb: IdbChunkStore,
    source?: ChunkSource,
  ) {
    this.source = source;
  }

  /** Chunks come from the sharer's files (the copy into IndexedDB is not finished). */
  get readsFromSource(): boolean {
    return this.source !== undefined;
  }

  /** The copy is complete: serve from IndexedDB from now on (the files may change freely). */
  dropSource(): void {
    this.source = undefined;
  }

  get(index: number): Promise<Uint8Array | undefined> {
    const src = this.source;
    if (src) {
      if (index < 0 || index >= src.reader.layout.chunkCount) return Promise.resolve(undefined);
      return readVerified(src.reader, src.chunkHashes, src.hasher, index);
    }
    return this.idb.get(index);
  }

  /** The chunk as a Blob, for saving: IndexedDB's disk-backed handle, or the checked bytes read from the files. */
  async getBlob(index: number): Promise<Blob | undefined> {
    if (!this.source) return this.idb.getBlob(index);
    const chunk = await this.get(index);
    return chunk && new Blob([chunk as Uint8Array<ArrayBuffer>]);
  }

  /** A verified chunk from a peer: announceable at once, written in the background (IdbChunkStore.accept). */
  put(index: number, data: Uint8Array): Promise<void> {
    return this.idb.accept(index, data);
  }

  async list(): Promise<number[]> {
    const src = this.source;
    if (src) return Array.from({ length: src.reader.layout.chunkCount }, (_, i) => i);
    return this.idb.list();
  }

  /** Writes what is queued and waits for it; rejects if an accepted chunk could not be written. */
  flush(): Promise<void> {
    return this.idb.flush();
  }

  clear(): Promise<void> {
    return this.idb.clear();
  }
}
