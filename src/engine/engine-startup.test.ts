/**
 * How a swarm gets going: starter slots for neighbors with nothing to trade, the seeder's
 * most-missing choker, and a peer telling its neighbors at once that it now has the metadata.
 */
import { describe, expect, it } from 'vitest';
import {
  attachScripted,
  handshakeFor,
  keepUplinkBusy,
  lastChokeState,
  scriptedEngine,
  type ScriptedPeer,
} from './testing/scripted-peer';

const KiB = 1024;
const unchokedIds = (peers: ScriptedPeer[]) =>
  peers.filter((p) => lastChokeState(p) === 'unchoke').map((p) => p.peerId);

/**
 * A seeder of 8 chunks (a finished downloader: a super-seeding origin unchokes every interested
 * neighbor) with neighbors that say what they hold (a bit pattern) and are interested.
 */
async function seederWith(holdings: Record<string, number>, config = {}) {
  const setup = await scriptedEngine({
    size: 512 * KiB,
    chunkSize: 64 * KiB,
    config: { isOrigin: false, uploadSlots: 1, ...config },
  });
  const peers: ScriptedPeer[] = [];
  for (const [id, holds] of Object.entries(holdings)) {
    const p = attachScripted(setup.engine, id);
    peers.push(p);
    p.send(handshakeFor(setup.share.infoHash, id));
    if (holds) p.send({ type: 'bitfield', bits: Uint8Array.from([holds]) });
    p.send({ type: 'interested' });
    await p.deliver();
  }
  return { ...setup, peers };
}

describe('starter slots', () => {
  it('unchoke a neighbor holding nothing besides the regular and optimistic slots, and pass on once it has a chunk', async () => {
    const { peers } = await seederWith({ a: 0b1110_0000, b: 0b1110_0000, n1: 0, n2: 0 }, { starterSlots: 1 });
    // a: regular slot, b: optimistic; one of the newcomers gets the starter slot, the other waits.
    const first = unchokedIds(peers);
    expect(first.slice(0, 2)).toEqual(['a', 'b']);
    expect(first).toHaveLength(3);
    const starter = first[2]!;
    const other = starter === 'n1' ? 'n2' : 'n1';
    const [sp, op] = [starter, other].map((id) => peers.find((p) => p.peerId === id)) as [ScriptedPeer, ScriptedPeer];
    expect(lastChokeState(op)).toBeUndefined();
    // The starter got a chunk: it can trade now, so it is choked and the other newcomer gets the slot.
    sp.send({ type: 'have', index: 7 });
    await sp.deliver();
    await op.deliver();
    expect(lastChokeState(sp)).toBe('choke');
    expect(lastChokeState(op)).toBe('unchoke');
  });

  it('are off with starterSlots 0: a neighbor with nothing waits like anyone else', async () => {
    const { peers } = await seederWith({ a: 0b1110_0000, b: 0b1110_0000, n1: 0, n2: 0 }, { starterSlots: 0 });
    expect(unchokedIds(peers)).toEqual(['a', 'b']);
  });
});

describe('seeder choker', () => {
  it('most-missing: at the rechoke a seeder unchokes the neighbors lacking the most chunks', async () => {
    const { peers, engine, clock } = await seederWith(
      { rich: 0b1111_1110, mid: 0b1111_0000, poor: 0b1000_0000 },
      { starterSlots: 0, highWaterBytes: 16 * KiB },
    );
    // rich (the free slot) and mid (the optimistic one) keep our uplink busy, so no idle slot opens.
    const [rich, mid, poor] = peers as [ScriptedPeer, ScriptedPeer, ScriptedPeer];
    expect(unchokedIds(peers)).toEqual(['rich', 'mid']);
    await keepUplinkBusy(rich, [0, 1, 2], 16 * KiB);
    await keepUplinkBusy(mid, [1, 2, 3], 16 * KiB);
    clock.advance(engine.config.rechokeIntervalMs);
    await poor.deliver();
    const regular = engine
      .snapshot()
      .neighbors.filter((n) => !n.amChoking && !n.optimistic)
      .map((n) => n.peerId);
    expect(regular).toEqual(['poor']);
    expect(unchokedIds(peers)).toContain('poor');
  });
});

describe('metadata spreads', () => {
  it('a peer that just got the metadata tells its other neighbors at once (an empty bitfield)', async () => {
    const { engine, share } = await scriptedEngine({ seeder: false, size: 512 * KiB, chunkSize: 64 * KiB });
    const src = attachScripted(engine, 'src');
    const fresh = attachScripted(engine, 'fresh');
    src.send(handshakeFor(share.infoHash, 'src', 3));
    fresh.send(handshakeFor(share.infoHash, 'fresh'));
    await src.deliver();
    await fresh.deliver();
    expect(fresh.received.some((m) => m.type === 'bitfield')).toBe(false);
    src.send({ type: 'metadata-data', piece: 0, totalSize: share.encodedMetadata.length, data: share.encodedMetadata });
    await src.deliver();
    await fresh.deliver();
    expect(engine.getMetadata()).toBeDefined();
    const bitfield = fresh.received.find((m) => m.type === 'bitfield');
    expect(bitfield).toBeDefined();
    expect([...(bitfield as { bits: Uint8Array }).bits]).toEqual([0]);
  });
});
