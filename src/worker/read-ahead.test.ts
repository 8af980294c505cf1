import { describe, expect, it } from 'vitest';
import { readAhead, readAheadDepth } from './read-ahead';

/** A read whose answer the test releases by hand, to see how many are under way. */
function gatedReads() {
  const started: number[] = [];
  const release = new Map<number, (v: string) => void>();
  const fail = new Map<number, (e: Error) => void>();
  const read = (i: number) =>
    new Promise<string>((ok, no) => {
      started.push(i);
      release.set(i, ok);
      fail.set(i, no);
    });
  return {
    started,
    read,
    release: (i: number) => release.get(i)!(`chunk ${i}`),
    fail: (i: number) => fail.get(i)!(new Error(`read ${i} failed`)),
  };
}

const turn = () => new Promise((r) => setTimeout(r, 0));

describe('reading chunks back with reads ahead', () => {
  it('yields every chunk in order, with at most `depth` reads under way', async () => {
    const g = gatedReads();
    const it = readAhead(3, 9, 3, g.read);
    const first = it.next();
    await turn();
    expect(g.started).toEqual([3, 4, 5]);
    g.release(4); // out of order: still yields 3 first
    g.release(3);
    expect(await first).toEqual({ value: 'chunk 3', done: false });
    expect(g.started).toEqual([3, 4, 5, 6]);
    const rest: string[] = [];
    const draining = (async () => {
      for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    })();
    for (let i = 5; i <= 9; i++) {
      await turn();
      // Released: 3..i-1; under way: the rest of those started, never more than the depth.
      expect(g.started.length - (i - 3)).toBeLessThanOrEqual(3);
      g.release(i);
    }
    await draining;
    expect(rest).toEqual(['chunk 4', 'chunk 5', 'chunk 6', 'chunk 7', 'chunk 8', 'chunk 9']);
    expect(g.started).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('a failed read rejects at its turn; no read starts after the consumer stops', async () => {
    const g = gatedReads();
    const it = readAhead(0, 100, 4, g.read);
    const first = it.next();
    await turn();
    g.fail(1); // fails ahead of its turn: no unhandled rejection meanwhile
    g.release(0);
    expect((await first).value).toBe('chunk 0');
    await expect(it.next()).rejects.toThrow('read 1 failed');
    const count = g.started.length;
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect(g.started.length).toBe(count);
    expect(count).toBeLessThanOrEqual(6);
  });

  it('an empty range reads nothing', async () => {
    const g = gatedReads();
    for await (const _ of readAhead(5, 4, 3, g.read)) throw new Error('nothing to yield');
    expect(g.started).toEqual([]);
  });

  it('keeps about 8 MiB of chunks in flight, at least one, at most 32 reads', () => {
    expect(readAheadDepth(1024 * 1024)).toBe(8);
    expect(readAheadDepth(16 * 1024 * 1024)).toBe(1);
    expect(readAheadDepth(16 * 1024)).toBe(32);
  });
});
