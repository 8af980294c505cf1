/** Creating a share: cut files into chunks, hash each chunk, encode the metadata, hash that. */
import { chooseChunkSize, encodeMetadata, MetadataError, type ShareMetadata } from '../protocol/metadata';
import type { Hasher } from './types';

/** A file to share, read lazily (a browser File, a Node file, or bytes in memory). */
export interface ShareSource {
  name: string;
  size: number;
  type: string;
  /** Resolves exactly `length` bytes from `offset` (never past the end: the engine asks only within `size`). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface CreatedShare {
  metadata: ShareMetadata;
  /** SHA-256 of encodedMetadata (32 bytes). */
  infoHash: Uint8Array;
  /** The canonical metadata bytes, served to peers that ask for them. */
  encodedMetadata: Uint8Array;
}

export interface CreateShareOptions {
  /** A power of two; default: 256 KiB, larger for big shares (chooseChunkSize). */
  chunkSize?: number;
  /** Called after each chunk is hashed (UI progress). */
  onProgress?: (hashedChunks: number, chunkCount: number) => void;
}

/** Reads `length` bytes at `offset` of the concatenation of `files`. */
export async function readConcatenated(
  files: readonly ShareSource[],
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let fileStart = 0;
  let written = 0;
  for (const f of files) {
    const fileEnd = fileStart + f.size;
    if (written < length && offset + written < fileEnd && f.size > 0) {
      const from = offset + written - fileStart;
      const n = Math.min(fileEnd - (offset + written), length - written);
      const part = await f.read(from, n);
      if (part.length !== n) throw new MetadataError(`file ${f.name} returned ${part.length} bytes, expected ${n}`);
      out.set(part, written);
      written += n;
    }
    fileStart = fileEnd;
  }
  if (written !== length) throw new MetadataError('read past the end of the share');
  return out;
}

/** Hashes every chunk of `files`, one at a time, and builds the share's metadata and info hash. */
export async function createShare(
  files: readonly ShareSource[],
  hasher: Hasher,
  options: CreateShareOptions = {},
): Promise<CreatedShare> {
  const totalSize = files.reduce((s, f) => s + f.size, 0);
  const chunkSize = options.chunkSize ?? chooseChunkSize(totalSize);
  const chunkCount = Math.ceil(totalSize / chunkSize);
  const chunkHashes = new Uint8Array(chunkCount * 32);
  for (let i = 0; i < chunkCount; i++) {
    const length = Math.min(chunkSize, totalSize - i * chunkSize);
    const digest = await hasher.sha256(await readConcatenated(files, i * chunkSize, length));
    chunkHashes.set(digest, i * 32);
    options.onProgress?.(i + 1, chunkCount);
  }
  return describeShare(files, chunkSize, chunkHashes, hasher);
}

/**
 * The metadata and info hash of `files` cut into `chunkSize` chunks whose hashes are known
 * (the browser's share pipeline, src/worker/chunk-pipeline.ts, hashes them several at a time).
 */
export async function describeShare(
  files: readonly Pick<ShareSource, 'name' | 'size' | 'type'>[],
  chunkSize: number,
  chunkHashes: Uint8Array,
  hasher: Hasher,
): Promise<CreatedShare> {
  const totalSize = files.reduce((s, f) => s + f.size, 0);
  const metadata: ShareMetadata = {
    chunkSize,
    files: files.map((f) => ({ name: f.name, size: f.size, type: f.type })),
    totalSize,
    chunkCount: Math.ceil(totalSize / chunkSize),
    chunkHashes,
  };
  const encodedMetadata = encodeMetadata(metadata); // validates names, sizes, chunk size
  const infoHash = await hasher.sha256(encodedMetadata);
  return { metadata, infoHash, encodedMetadata };
}
