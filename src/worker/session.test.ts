import { describe, expect, it } from 'vitest';
import { feedFiles, filesOf } from './session';

describe('file ranges of a share', () => {
  const meta = {
    files: [
      { name: 'a', size: 5, type: '' },
      { name: 'b', size: 0, type: '' },
      { name: 'c', size: 7, type: '' },
    ],
  };

  it('gives each file its offset in the concatenated byte stream', () => {
    expect(filesOf(meta as never)).toEqual([
      { name: 'a', size: 5, offset: 0 },
      { name: 'b', size: 0, offset: 5 },
      { name: 'c', size: 7, offset: 5 },
    ]);
  });

  it('feeds every byte of every chunk to the file it belongs to, across chunk borders', () => {
    const files = filesOf(meta as never);
    const got = files.map(() => [] as number[]);
    const sinks = { update: (k: number, d: Uint8Array) => void got[k]!.push(...d) };
    const stream = Uint8Array.from({ length: 12 }, (_, i) => i);
    const chunkSize = 4;
    for (let i = 0; i * chunkSize < stream.length; i++) {
      feedFiles({ files, chunkSize }, i, stream.subarray(i * chunkSize, (i + 1) * chunkSize), sinks);
    }
    expect(got).toEqual([[0, 1, 2, 3, 4], [], [5, 6, 7, 8, 9, 10, 11]]);
  });
});
