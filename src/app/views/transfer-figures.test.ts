import { describe, expect, it } from 'vitest';
import type { ShareStatus, ShareSummary } from '../../worker/protocol';
import { bytesHeld, downloadFigures, shownNeighbors, stopsTransfer } from './transfer-figures';

const KiB = 1024;
const share: ShareSummary = {
  swarmId: 'x',
  secret: 'x',
  hasMetadata: true,
  name: 'a.bin',
  files: [{ name: 'a.bin', size: 1000 * KiB, offset: 0 }],
  totalSize: 1000 * KiB,
  chunkSize: 256 * KiB,
  chunkCount: 4,
  role: 'download',
  createdAt: 0,
  haveChunks: 0,
  complete: false,
};
const status = (over: Partial<ShareStatus>): ShareStatus => ({
  swarmId: 'x',
  haveChunks: 0,
  chunkCount: 4,
  downloadedBytes: 0,
  uploadedBytes: 0,
  downloadRate: 0,
  uploadRate: 0,
  neighbors: [],
  complete: false,
  neighborsHaveAll: false,
  ...over,
});

describe('download figures', () => {
  it('counts whole chunks held, the last one at its real size', () => {
    expect(bytesHeld(share, status({ haveChunks: 2 }))).toBe(512 * KiB);
    expect(bytesHeld(share, status({ haveChunks: 4 }))).toBe(1000 * KiB); // not 1024 KiB
    expect(bytesHeld({ ...share, haveChunks: 1 }, undefined)).toBe(256 * KiB);
  });

  it('gives the time left from the bytes still missing', () => {
    const f = downloadFigures(share, status({ haveChunks: 2, downloadRate: 100 * KiB }), undefined);
    expect(f.secondsLeft).toBeCloseTo(488 / 100);
    expect(f.stopped).toBe(false);
  });

  it('shows no speed and no time left once storage ran out: the transfer stopped', () => {
    const f = downloadFigures(share, status({ haveChunks: 1, downloadRate: 113 * KiB }), { code: 'storage-full' });
    expect(f).toEqual({ held: 256 * KiB, rate: 0, secondsLeft: undefined, stopped: true });
  });

  it('keeps going after a peer sent bad file information (it is only ignored) or while waiting', () => {
    expect(stopsTransfer({ code: 'bad-metadata' })).toBe(false);
    expect(stopsTransfer({ code: 'no-peers' })).toBe(false);
    expect(stopsTransfer({ code: 'storage-failed' })).toBe(true);
    expect(stopsTransfer(undefined)).toBe(false);
  });
});

describe('neighbor rows', () => {
  it('leaves out peers that left without exchanging a byte, keeps the rest', () => {
    const n = (peerId: string, state: 'active' | 'banned' | 'gone', downloaded = 0, uploaded = 0) => ({
      peerId,
      state,
      downloaded,
      uploaded,
      isOrigin: false,
      path: 'channel' as const,
    });
    const rows = shownNeighbors(
      status({
        neighbors: [n('a', 'gone'), n('b', 'gone', 5), n('c', 'gone', 0, 7), n('d', 'active'), n('e', 'banned')],
      }),
    );
    expect(rows.map((r) => r.peerId)).toEqual(['b', 'c', 'd', 'e']);
    expect(shownNeighbors(undefined)).toEqual([]);
  });
});
