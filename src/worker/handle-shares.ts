/**
 * Handle-backed shares in the worker (src/worker/file-handles.ts): after a reload, the share's
 * chunks are read again from the original files through their handles, checked against the
 * metadata's hashes on every read (as for any share seeded from the files), never copied.
 */
import type { Hasher, ShareMetadata } from '../engine';
import { ChunkReader, layoutOf, type ChunkTransform } from './chunk-pipeline';
import { fileSource } from './create-share';
import { reopen, type FileHandleStore } from './file-handles';
import { CodedError } from './serve';
import type { ChunkSource } from './seed-store';

/** The chunk source of a handle-backed share, or a coded error: 'needs-permission', 'source-changed'. */
export async function reopenSource(
  handles: FileHandleStore,
  swarmId: string,
  meta: ShareMetadata,
  hasher: Hasher,
  /** The share's chunk encryption: the metadata's hashes are of the encrypted chunks. */
  transform: ChunkTransform,
): Promise<ChunkSource> {
  const held = await handles.get(swarmId);
  if (!held || held.length !== meta.files.length)
    throw new CodedError('source-changed', 'the handles of the shared files are missing');
  const opened = await reopen(held);
  if (opened.state === 'needs-permission')
    throw new CodedError('needs-permission', 'the browser asks for access to the shared files again');
  if (opened.state !== 'ready') throw new CodedError('source-changed', opened.detail);
  const sources = opened.files.map((f, i) => fileSource(f, meta.files[i]!.name));
  const reader = new ChunkReader(sources, layoutOf(meta.totalSize, meta.chunkSize), transform);
  return { reader, chunkHashes: meta.chunkHashes, hasher };
}

/** A sink that stores nothing: a handle-backed share's background pass only computes each file's SHA-256. */
export const HASH_ONLY_SINK = {
  put: async (): Promise<void> => undefined,
  flush: async (): Promise<void> => undefined,
  clear: async (): Promise<void> => undefined,
};
