import { describe, expect, it } from 'vitest';
import { Bitfield } from './bitfield';
import { ChunkLedger } from './ledger';
import { pickBlock, type PickContext } from './picker';
import { createSeededRandom } from './random';

function setup(chunkCount: number, blocksPerChunk = 1) {
  const ledger = new ChunkLedger(
    { chunkCount, chunkSize: 16 * blocksPerChunk, totalSize: 16 * blocksPerChunk * chunkCount },
    16,
  );
  const peerHas = new Bitfield(chunkCount);
  peerHas.setAll();
  const availability = new Uint16Array(chunkCount).fill(5);
  const requested = new Set<string>();
  let inFlight = 0;
  const ctx: PickContext = {
    ledger,
    availability,
    peerHas,
    peerId: 'p',
    random: createSeededRandom(3),
    sequential: false,
    randomFirst: 0,
    endgame: true,
    endgameMaxRequests: 2,
    inFlight: () => inFlight,
    requestedFrom: (i, b) => requested.has(`${i}:${b}`),
  };
  return { ledger, peerHas, availability, ctx, requested, setInFlight: (n: number) => (inFlight = n) };
}

describe('pickBlock', () => {
  it('picks the rarest chunk the neighbor has', () => {
    const { ctx, availability } = setup(10);
    availability[6] = 1;
    availability[2] = 2;
    expect(pickBlock(ctx)).toEqual({ index: 6, block: 0 });
  });

  it('breaks ties among the rarest at random (all of them, over many draws)', () => {
    const { ctx, availability } = setup(8);
    availability.fill(3);
    availability[1] = availability[4] = availability[7] = 1;
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(pickBlock(ctx)!.index);
    expect([...seen].sort()).toEqual([1, 4, 7]);
  });

  it('only picks what the neighbor has and we lack', () => {
    const { ctx, ledger } = setup(4);
    ctx.peerHas = new Bitfield(4);
    ctx.peerHas.set(0);
    ctx.peerHas.set(3);
    ledger.markHave(3);
    expect(pickBlock(ctx)).toEqual({ index: 0, block: 0 });
    ledger.markHave(0);
    expect(pickBlock(ctx)).toBeUndefined();
  });

  it('finishes started chunks first', () => {
    const { ctx, ledger, availability } = setup(5, 4);
    availability[0] = 1; // rarest, but chunk 3 is started
    ledger.reserve(3, 0);
    expect(pickBlock(ctx)).toEqual({ index: 3, block: 1 });
  });

  it('picks the first chunks at random regardless of rarity', () => {
    const { ctx, availability } = setup(50);
    availability[0] = 0;
    ctx.randomFirst = 4;
    const seen = new Set<number>();
    for (let i = 0; i < 30; i++) seen.add(pickBlock(ctx)!.index);
    expect(seen.size).toBeGreaterThan(5);
  });

  it('sequential mode picks in order', () => {
    const { ctx, ledger, availability } = setup(6);
    ctx.sequential = true;
    availability[5] = 0;
    ledger.markHave(0);
    expect(pickBlock(ctx)).toEqual({ index: 1, block: 0 });
  });

  it('endgame: when all blocks are requested, asks for one requested elsewhere, fewest duplicates first', () => {
    const { ctx, ledger, requested } = setup(2, 2);
    ledger.reserve(0, 0);
    ledger.reserve(0, 0);
    ledger.reserve(0, 1);
    ledger.reserve(1, 0);
    ledger.reserve(1, 1);
    requested.add('1:0');
    expect(ledger.allRequested).toBe(true);
    expect(pickBlock(ctx)).toEqual({ index: 0, block: 1 });
    ctx.endgame = false;
    expect(pickBlock(ctx)).toBeUndefined();
  });

  it('endgame: only for an idle neighbor, and at most endgameMaxRequests copies of a block', () => {
    const { ctx, ledger, setInFlight } = setup(1, 2);
    ledger.reserve(0, 0);
    ledger.reserve(0, 1);
    ledger.reserve(0, 1);
    setInFlight(1);
    expect(pickBlock(ctx)).toBeUndefined();
    setInFlight(0);
    expect(pickBlock(ctx)).toEqual({ index: 0, block: 0 });
    ledger.reserve(0, 0);
    expect(pickBlock(ctx)).toBeUndefined(); // both blocks already have 2 requests out
  });

  it('a suspect chunk owned by another neighbor is not picked', () => {
    const { ctx, ledger } = setup(1, 2);
    ledger.suspect.add(0);
    ledger.reserve(0, 0, 'other');
    ctx.endgame = false;
    expect(pickBlock(ctx)).toBeUndefined();
    ctx.peerId = 'other';
    expect(pickBlock(ctx)).toEqual({ index: 0, block: 1 });
  });
});
