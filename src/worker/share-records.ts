/**
 * "My files": one record per share this browser holds, in IndexedDB (a store of its own), so a
 * reload re-seeds what was shared and resumes what was being downloaded.
 */
import { createStore, del, get, set, values, type UseStore } from 'idb-keyval';
import type { ShareSummary } from './protocol';

/** What is kept per share. `encodedMetadata` is absent until a downloader got and verified it. */
export interface ShareRecord {
  summary: ShareSummary;
  encodedMetadata?: Uint8Array;
}

/** The record of a link opened here for the first time: a download that knows nothing yet. */
export function newDownloadRecord(swarmId: string, secret: string, createdAt: number): ShareRecord {
  return {
    summary: {
      swarmId,
      secret,
      hasMetadata: false,
      name: '',
      files: [],
      totalSize: 0,
      chunkSize: 0,
      chunkCount: 0,
      role: 'download',
      createdAt,
      haveChunks: 0,
      complete: false,
    },
  };
}

/**
 * A record stored before share links were private (no link secret; its swarm id is the info hash):
 * listed so it can be removed, never seeded again. Its secret is empty: it has no link.
 */
export function outdatedSummary(summary: ShareSummary): ShareSummary {
  return { ...summary, secret: '', outdated: true };
}

export function recordDatabase(): UseStore {
  return createStore('swarmdrop-shares', 'shares');
}

export class ShareRecords {
  constructor(private readonly db: UseStore = recordDatabase()) {}

  get(swarmId: string): Promise<ShareRecord | undefined> {
    return get<ShareRecord>(swarmId, this.db);
  }

  put(record: ShareRecord): Promise<void> {
    return set(record.summary.swarmId, record, this.db);
  }

  remove(swarmId: string): Promise<void> {
    return del(swarmId, this.db);
  }

  async all(): Promise<ShareRecord[]> {
    const list = await values<ShareRecord>(this.db);
    return list.filter((r) => r && typeof r === 'object' && typeof r.summary?.swarmId === 'string');
  }
}
