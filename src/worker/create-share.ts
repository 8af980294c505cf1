/**
 * Sharing files from the worker, in two steps (docs/APP.md, "Share creation"):
 *  1. prepareShare: one pass over the files, chunk hashes several at a time: the info hash, hence
 *     the link. Nothing is stored; a read error leaves nothing behind.
 *  2. copyIntoStore, in the background while the share already seeds from the files: each chunk
 *     read again, checked against its hash, fed to the per-file SHA-256 and stored in IndexedDB.
 *     A failure clears what was copied.
 */
import { describeShare, type CreatedShare, type Hasher, type ShareSource } from '../engine';
import { chooseChunkSize } from '../protocol/metadata';
import { toBase64Url } from './base64url';
import {
  ChunkReader,
  copyChunks,
  hashChunks,
  layoutOf,
  type ChunkTransform,
  type CopyOptions,
  type CopySink,
} from './chunk-pipeline';
import { fileHashes } from './hasher';
import type { ShareSummary } from './protocol';
import type { ChunkSource } from './seed-store';
import { feedFiles, summaryFromMetadata } from './session';
import type { ShareRecord } from './share-records';

/** `path`: the file's relative path in a shared folder (its own name by default). */
export function fileSource(file: File, path: string = file.name): ShareSource {
  return {
    name: path,
    size: file.size,
    type: /^[\x21-\x7e]{0,255}$/.test(file.type) ? file.type : '',
    read: async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
  };
}

export interface PreparedShare {
  created: CreatedShare;
  /** The share as it runs now: complete (served from the files), its copy under way. */
  summary: ShareSummary;
  /** The files' chunks, checked against their hashes on every read. */
  source: ChunkSource;
}

export interface PrepareOptions {
  onProgress?: (done: number, total: number) => void;
  /** Chunks read or hashed at once (chunk-pipeline's HASH_CONCURRENCY by default). */
  concurrency?: number;
  /** A per-chunk stage before hashing (private shares: encryption). */
  transform?: ChunkTransform;
  /** The share's swarm id and link secret from its info hash (src/worker/private-share.ts). */
  identify?: (infoHash: Uint8Array) => { swarmId: string; secret: string };
}

/** Step 1: hashes every chunk once and describes the share. */
export async function prepareShare(
  sources: ShareSource[],
  hasher: Hasher,
  opts: PrepareOptions = {},
): Promise<PreparedShare> {
  const total = sources.reduce((n, f) => n + f.size, 0);
  const reader = new ChunkReader(sources, layoutOf(total, chooseChunkSize(total)), opts.transform);
  const chunkHashes = await hashChunks(reader, hasher, {
    concurrency: opts.concurrency,
    onProgress: (bytes) => opts.onProgress?.(bytes, total),
  });
  const created = await describeShare(sources, reader.layout.chunkSize, chunkHashes, hasher);
  const meta = created.metadata;
  const base: ShareSummary = {
    ...(opts.identify?.(created.infoHash) ?? { swarmId: toBase64Url(created.infoHash), secret: '' }),
    hasMetadata: false,
    name: '',
    files: [],
    totalSize: 0,
    chunkSize: meta.chunkSize,
    chunkCount: meta.chunkCount,
    role: 'seed',
    createdAt: Date.now(),
    haveChunks: meta.chunkCount,
    complete: true,
    copy: { state: 'copying', bytes: 0 },
  };
  return { created, summary: summaryFromMetadata(base, meta), source: { reader, chunkHashes, hasher } };
}

/**
 * What is stored while the copy runs: an incomplete seed. After a reload before the copy is done
 * (the files are gone with the page) it resumes from the chunks copied so far and fetches the rest
 * from peers that have it.
 */
export function recordWhileCopying(p: PreparedShare): ShareRecord {
  return {
    summary: { ...p.summary, complete: false, haveChunks: 0, copy: { state: 'interrupted', bytes: 0 } },
    encodedMetadata: p.created.encodedMetadata,
  };
}

export type CopyIntoOptions = Pick<CopyOptions, 'onProgress' | 'signal' | 'pace'> & {
  /** A stored chunk's plaintext (private shares decrypt), for the files' SHA-256. */
  plain?: ChunkTransform;
};

/** Step 2: copies every chunk into `store`; resolves to each file's SHA-256 (hex). Clears the store on failure. */
export async function copyIntoStore(
  p: PreparedShare,
  store: CopySink & { clear(): Promise<void> },
  opts: CopyIntoOptions = {},
): Promise<string[]> {
  const hashes = await fileHashes(p.summary.files.length);
  try {
    await copyChunks(p.source.reader, p.source.chunkHashes, p.source.hasher, store, {
      ...opts,
      onChunk: async (i, chunk) => feedFiles(p.summary, i, opts.plain ? await opts.plain(i, chunk) : chunk, hashes),
    });
  } catch (err) {
    await store.clear().catch(() => undefined); // no half-stored share left behind
    throw err;
  }
  return hashes.hexes();
}
