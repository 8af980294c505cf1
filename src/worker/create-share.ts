/**
 * Sharing files from the worker: hash every chunk (engine's createShare), then store the chunks in
 * IndexedDB and compute each file's SHA-256 in a second pass. Progress is reported as bytes of both
 * passes together.
 */
import { createShare, readConcatenated, type Hasher, type ShareSource } from '../engine';
import { toBase64Url } from './base64url';
import { fileHash } from './hasher';
import { IdbChunkStore } from './idb-chunk-store';
import type { ShareSummary } from './protocol';
import { feedFiles, summaryFromMetadata } from './session';
import type { ShareRecord } from './share-records';
import type { UseStore } from 'idb-keyval';

export function fileSource(file: File): ShareSource {
  return {
    name: file.name,
    size: file.size,
    type: /^[\x21-\x7e]{0,255}$/.test(file.type) ? file.type : '',
    read: async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
  };
}

export async function hashAndStore(
  files: File[],
  hasher: Hasher,
  chunkDb: UseStore,
  onProgress: (done: number, total: number) => void,
): Promise<{ record: ShareRecord; infoHash: Uint8Array }> {
  const sources = files.map(fileSource);
  const total = sources.reduce((n, f) => n + f.size, 0);
  const created = await createShare(sources, hasher, {
    onProgress: (hashed, count) => onProgress(Math.floor((total * hashed) / count / 2), total),
  });
  const meta = created.metadata;
  const swarmId = toBase64Url(created.infoHash);
  const base: ShareSummary = {
    swarmId,
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
  };
  const summary = summaryFromMetadata(base, meta);
  const store = new IdbChunkStore(swarmId, chunkDb);
  const hashes = summary.files.map(() => fileHash());
  let pending: Promise<void>[] = [];
  try {
    await storeChunks();
  } catch (err) {
    await store.clear().catch(() => undefined); // no half-stored share left behind
    throw err;
  }
  async function storeChunks(): Promise<void> {
    for (let i = 0; i < meta.chunkCount; i++) {
      const length = Math.min(meta.chunkSize, meta.totalSize - i * meta.chunkSize);
      const chunk = await readConcatenated(sources, i * meta.chunkSize, length);
      feedFiles(summary, i, chunk, hashes);
      pending.push(store.put(i, chunk));
      if (pending.length >= 32) {
        await Promise.all(pending); // bounds memory: at most one batch of chunks in flight
        pending = [];
      }
      onProgress(Math.floor(total / 2 + (total * (i + 1)) / meta.chunkCount / 2), total);
    }
    await store.flush();
    await Promise.all(pending);
  }
  return {
    record: { summary: { ...summary, sha256: hashes.map((h) => h.hex()) }, encodedMetadata: created.encodedMetadata },
    infoHash: created.infoHash,
  };
}
