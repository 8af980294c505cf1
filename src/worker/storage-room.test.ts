import { describe, expect, it } from 'vitest';
import { freeStorage, lackOfRoom } from './storage-room';

const MiB = 1024 * 1024;

describe('storage pre-check', () => {
  it('reports the shortfall when the bytes (plus a margin) exceed the free room', () => {
    expect(lackOfRoom(4 * MiB, 1 * MiB)).toEqual({ needed: 4 * MiB, free: 1 * MiB });
    expect(lackOfRoom(4 * MiB, 4 * MiB)).toEqual({ needed: 4 * MiB, free: 4 * MiB }); // no margin left
    expect(lackOfRoom(4 * MiB, 5 * MiB)).toBeUndefined();
  });

  it('does not refuse when nothing is needed or the browser does not say', () => {
    expect(lackOfRoom(0, 0)).toBeUndefined();
    expect(lackOfRoom(4 * MiB, undefined)).toBeUndefined();
  });

  it('reads quota minus usage, and copes with a browser that has no estimate or fails', async () => {
    expect(await freeStorage({ estimate: async () => ({ quota: 10 * MiB, usage: 3 * MiB }) })).toBe(7 * MiB);
    expect(await freeStorage({ estimate: async () => ({ quota: 1 * MiB, usage: 3 * MiB }) })).toBe(0);
    expect(await freeStorage({ estimate: async () => ({}) })).toBeUndefined();
    expect(await freeStorage({ estimate: () => Promise.reject(new Error('denied')) })).toBeUndefined();
    expect(await freeStorage(undefined)).toBeUndefined();
  });
});
