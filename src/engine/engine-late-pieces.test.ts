/**
 * Rules that stop chunks from crossing a link twice: a piece that answers a request we dropped at
 * a choke (a late piece is kept), and event rechokes that choke nobody who still wants from us;
 * and the rechoke on completion. Scripted neighbors, virtual clock.
 */
import { describe, expect, it } from 'vitest';
import type { EngineConfig } from './config';
import {
  attachScripted,
  attachUnchokingSource,
  handshakeFor,
  keepUplinkBusy,
  lastChokeState,
  pieceOf,
  scriptedEngine,
  type ScriptedPeer,
} from './testing/scripted-peer';

const KiB = 1024;

/** A leecher with metadata, a neighbor `s` that has everything and unchoked it; returns s's requests. */
async function leecherWithSource(config: Partial<EngineConfig>) {
  const setup = await scriptedEngine({ seeder: false, config: { minQueueDepth: 2, endgame: false, ...config } });
  const s = await attachUnchokingSource(setup, 's');
  const requests = s.received.filter((m) => m.type === 'request');
  return { ...setup, s, requests };
}

describe('late pieces', () => {
  it("keeps a piece for a request it dropped at the neighbor's choke", async () => {
    const { engine, content, s, requests } = await leecherWithSource({});
    expect(requests.length).toBeGreaterThanOrEqual(1);
    const r = requests[0]!;
    if (r.type !== 'request') throw new Error('unreachable');
    // s chokes us (we drop our requests, BEP 3), yet serves the request: it had unchoked us again
    // when our request, sent before its choke reached us, arrived.
    s.send({ type: 'choke' });
    s.send(pieceOf(content, 16 * KiB, r));
    await s.deliver();
    expect(engine.hasChunk(r.index)).toBe(true);
  });

  it('never keeps a piece that was not asked of that neighbor', async () => {
    const { engine, content, s, requests } = await leecherWithSource({});
    const asked = new Set(requests.map((m) => (m.type === 'request' ? m.index : -1)));
    const other = [...Array(8).keys()].find((i) => !asked.has(i))!;
    s.send({ type: 'choke' });
    s.send(pieceOf(content, 16 * KiB, { index: other }));
    await s.deliver();
    expect(engine.hasChunk(other)).toBe(false);
  });
});

describe('event rechokes', () => {
  /**
   * A seeder with 1 regular slot and the optimistic one (no starter slots), ranking by chunks
   * missing. 'a' (holding half the chunks) takes the free slot, 'b' the optimistic one; 'c' and
   * 'd' (holding nothing) wait, and a keeps our uplink busy, so no idle slot opens. Then b loses
   * interest: only b's slot changes hands, a keeps its unchoke (a re-ranking would give both slots
   * to c and d, who lack more than a, and choke a mid-transfer).
   */
  it('only fills the freed slot when a neighbor loses interest', async () => {
    const { engine, share } = await scriptedEngine({
      config: {
        uploadSlots: 1,
        starterSlots: 0,
        superSeeding: false,
        highWaterBytes: 16 * KiB,
      },
    });
    const holds: Record<string, number> = { a: 0b1111_0000, b: 0, c: 0, d: 0 };
    const peers: Record<string, ScriptedPeer> = {};
    for (const id of Object.keys(holds)) {
      const p = (peers[id] = attachScripted(engine, id));
      p.send(handshakeFor(share.infoHash, id));
      p.send({ type: 'bitfield', bits: Uint8Array.from([holds[id]!]) });
      p.send({ type: 'interested' });
      await p.deliver();
      if (id === 'a') await keepUplinkBusy(p, [4, 5, 6], 16 * KiB);
    }
    expect(['a', 'b', 'c', 'd'].map((id) => lastChokeState(peers[id]!))).toEqual([
      'unchoke',
      'unchoke',
      undefined,
      undefined,
    ]);
    peers.b!.send({ type: 'not-interested' });
    await peers.b!.deliver();
    for (const id of ['c', 'd']) await peers[id]!.deliver();
    const unchoked = engine
      .snapshot()
      .neighbors.filter((n) => !n.amChoking)
      .map((n) => n.peerId)
      .sort();
    expect(unchoked).toHaveLength(2);
    expect(unchoked[0]).toBe('a');
  });
});

describe('the rechoke on completion', () => {
  /**
   * A leecher with 1 regular slot gets 7 of 8 chunks from s. Then x (lacks 2 chunks), y (lacks
   * all) and z (lacks 4) turn interested: x takes the free slot, y the optimistic one, z waits.
   * The 8th chunk completes us: as a seeder we rank by chunks missing, so at once y takes the
   * regular slot and z the optimistic one, and x is choked, not at the next periodic rechoke.
   * y keeps our uplink busy throughout, so no idle slot opens for x.
   */
  it('switches to the seeder ranking at once on completion', async () => {
    const { engine, content, s } = await leecherWithSource({
      uploadSlots: 1,
      starterSlots: 0,
      highWaterBytes: 16 * KiB,
    });
    const piece = (index: number) => pieceOf(content, 16 * KiB, { index });
    let last: number | undefined;
    for (let round = 0; round < 20 && engine.snapshot().verifiedChunks < 7; round++) {
      for (const m of s.received.splice(0)) {
        if (m.type !== 'request') continue;
        if (m.index === 7) last = 7;
        else s.send(piece(m.index));
      }
      await s.deliver();
    }
    expect(engine.snapshot().verifiedChunks).toBe(7);
    const holds: Record<string, number> = { x: 0b1111_1100, y: 0, z: 0b1111_0000 };
    const peers: Record<string, ScriptedPeer> = {};
    for (const id of ['x', 'y', 'z']) {
      const p = (peers[id] = attachScripted(engine, id));
      p.send(handshakeFor(engine.infoHash, id));
      if (holds[id]) p.send({ type: 'bitfield', bits: Uint8Array.from([holds[id]]) });
      p.send({ type: 'interested' });
      await p.deliver();
    }
    expect(['x', 'y', 'z'].map((id) => lastChokeState(peers[id]!))).toEqual(['unchoke', 'unchoke', undefined]);
    await keepUplinkBusy(peers.y!, [0, 1, 2, 3, 4, 5], 16 * KiB);
    // The last chunk (asked of s only now if it was not already).
    for (const m of s.received.splice(0)) if (m.type === 'request' && m.index === 7) last = 7;
    expect(last).toBe(7);
    s.send(piece(7));
    await s.deliver();
    expect(engine.isComplete()).toBe(true);
    for (const p of Object.values(peers)) await p.deliver();
    expect(['x', 'y', 'z'].map((id) => lastChokeState(peers[id]!))).toEqual(['choke', 'unchoke', 'unchoke']);
  });
});
