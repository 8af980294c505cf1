import { describe, expect, it } from 'vitest';
import { ChunkLedger } from './ledger';

const geometry = { chunkCount: 3, chunkSize: 64, totalSize: 64 * 2 + 40 };

describe('ChunkLedger', () => {
  it('computes chunk and block lengths (short last chunk and block)', () => {
    const l = new ChunkLedger(geometry, 16);
    expect(l.blockCount(0)).toBe(4);
    expect(l.chunkLength(2)).toBe(40);
    expect(l.blockCount(2)).toBe(3);
    expect(l.blockLength(2, 2)).toBe(8);
  });

  it('reserve, cancel, set, take, complete', () => {
    const l = new ChunkLedger(geometry, 32);
    expect(l.state(0)).toBe('missing');
    expect(l.freeBlock(0)).toBe(0);
    l.reserve(0, 0);
    expect(l.state(0)).toBe('active');
    expect(l.freeBlock(0)).toBe(1);
    l.reserve(0, 1);
    expect(l.freeBlock(0)).toBe(-1);
    l.cancel(0, 1);
    expect(l.freeBlock(0)).toBe(1);
    l.reserve(0, 1);
    expect(l.set(0, 0, new Uint8Array(32).fill(1), 'a')).toBe(false);
    expect(l.set(0, 0, new Uint8Array(32).fill(9), 'a')).toBe(false); // duplicate ignored
    expect(l.set(0, 1, new Uint8Array(32).fill(2), 'b')).toBe(true);
    const { data, sources } = l.takeChunk(0);
    expect(data.subarray(0, 32).every((b) => b === 1)).toBe(true);
    expect(data.subarray(32).every((b) => b === 2)).toBe(true);
    expect([...sources]).toEqual(['a', 'b']);
    expect(l.state(0)).toBe('verifying');
    l.complete(0);
    expect(l.state(0)).toBe('have');
    expect(l.have.count).toBe(1);
  });

  it('keeps a single-block chunk as the very buffer received (no copy)', () => {
    const l = new ChunkLedger(geometry, 64);
    const data = new Uint8Array(64);
    l.reserve(1, 0);
    expect(l.set(1, 0, data, 'a')).toBe(true);
    expect(l.takeChunk(1).data).toBe(data);
  });

  it('counts reservations so endgame duplicates free a block only when all are cancelled', () => {
    const l = new ChunkLedger(geometry, 64);
    l.reserve(0, 0);
    l.reserve(0, 0);
    l.cancel(0, 0);
    expect(l.freeBlock(0)).toBe(-1);
    l.cancel(0, 0);
    expect(l.freeBlock(0)).toBe(0);
  });

  it('knows when every missing block is requested (endgame)', () => {
    const l = new ChunkLedger({ chunkCount: 2, chunkSize: 32, totalSize: 64 }, 32);
    l.markHave(0);
    expect(l.allRequested).toBe(false);
    l.reserve(1, 0);
    expect(l.allRequested).toBe(true);
    l.cancel(1, 0);
    expect(l.allRequested).toBe(false);
  });

  it('reset after a failed hash makes every block wanted again', () => {
    const l = new ChunkLedger(geometry, 32);
    l.reserve(0, 0);
    l.reserve(0, 1);
    l.set(0, 0, new Uint8Array(32), 'a');
    l.set(0, 1, new Uint8Array(32), 'a');
    l.takeChunk(0);
    l.reset(0);
    expect(l.state(0)).toBe('missing');
    expect(l.allRequested).toBe(false);
    l.reserve(0, 0);
    l.reserve(0, 1);
    l.reserve(1, 0);
    l.reserve(1, 1);
    l.reserve(2, 0);
    l.reserve(2, 1);
    expect(l.allRequested).toBe(true);
  });

  it('a suspect chunk is owned by whoever starts it', () => {
    const l = new ChunkLedger(geometry, 32);
    l.suspect.add(0);
    l.reserve(0, 0, 'p');
    expect(l.active.get(0)!.owner).toBe('p');
    l.reserve(1, 0, 'p');
    expect(l.active.get(1)!.owner).toBeUndefined();
  });

  it('keeps missingBits equal to the chunks whose state is missing', () => {
    const l = new ChunkLedger({ chunkCount: 11, chunkSize: 32, totalSize: 32 * 10 + 5 }, 32);
    const check = () => {
      for (let i = 0; i < 11; i++)
        expect((l.missingBits[i >> 3]! & (0x80 >> (i & 7))) !== 0).toBe(l.state(i) === 'missing');
      expect(l.missingBits[1]! & 0x1f).toBe(0); // bits past the last chunk stay clear
    };
    check();
    l.markHave(9);
    l.reserve(2, 0);
    check();
    l.set(2, 0, new Uint8Array(32), 'a');
    l.takeChunk(2);
    check();
    l.reset(2);
    check();
    l.reserve(10, 0);
    l.set(10, 0, new Uint8Array(5), 'a');
    l.takeChunk(10);
    l.complete(10);
    check();
  });
});
