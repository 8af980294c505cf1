/** The order in which a rate-capped uploader serves neighbors that wait for it. */
import { describe, expect, it } from 'vitest';
import { attachScripted, handshakeFor, scriptedEngine } from './testing/scripted-peer';

const KiB = 1024;

describe('a chunk partly sent goes first', () => {
  it('finishes one chunk before starting another under an upload cap', async () => {
    // 64 KiB chunks of 4 blocks; 16 KiB/s: one block per second.
    const { engine, share, clock } = await scriptedEngine({
      size: 192 * KiB,
      chunkSize: 64 * KiB,
      config: {
        upBytesPerSec: 16 * KiB,
        superSeeding: false,
        starterSlots: 0,
      },
    });
    const peers = ['a', 'b'].map((id) => attachScripted(engine, id));
    for (const [i, p] of peers.entries()) {
      p.send(handshakeFor(share.infoHash, ['a', 'b'][i]!));
      if (i === 0) p.send({ type: 'bitfield', bits: Uint8Array.from([0b0010_0000]) }); // a holds chunk 2, b nothing
      p.send({ type: 'interested' });
      await p.deliver();
    }
    // a asks for every block of chunk 0, and its first block leaves once the cap allows (1 s: the
    // bucket starts empty); then b asks for every block of chunk 1.
    const ask = (i: number) => {
      for (let b = 0; b < 4; b++) peers[i]!.send({ type: 'request', index: i, offset: b * 16 * KiB, length: 16 * KiB });
    };
    ask(0);
    await peers[0]!.deliver();
    clock.advance(1000);
    ask(1);
    for (const p of peers) await p.deliver();
    const order: string[] = [];
    const seen = [0, 0];
    for (let t = 0; t < 12 && order.length < 8; t++) {
      for (const [i, p] of peers.entries()) {
        await p.deliver();
        const pieces = p.received.filter((m) => m.type === 'piece').length;
        for (; seen[i]! < pieces; seen[i]!++) order.push(['a', 'b'][i]!);
      }
      clock.advance(1000);
    }
    expect(order).toHaveLength(8);
    // a's chunk, partly sent, is finished first, though b holds fewer chunks.
    expect(order.join('')).toBe('aaaabbbb');
  });
});

/**
 * A super-seeding sharer capped at 16 KiB/s (one 16 KiB chunk per second) and its interested
 * neighbors `ids`, each holding the chunks in `bits[id]` (one bitfield byte: chunks 0-7).
 */
async function cappedSharer(ids: string[], bits: Record<string, number> = {}) {
  const setup = await scriptedEngine({ config: { isOrigin: true, upBytesPerSec: 16 * KiB, starterSlots: 0 } });
  const peers = new Map(ids.map((id) => [id, attachScripted(setup.engine, id)]));
  const peer = (id: string) => peers.get(id)!;
  // Every link is flushed each step: bytes held on one count against the uplink queue cap.
  const deliverAll = async () => {
    for (const p of peers.values()) await p.deliver();
  };
  for (const [id, p] of peers) {
    p.send(handshakeFor(setup.share.infoHash, id));
    if (bits[id] !== undefined) p.send({ type: 'bitfield', bits: Uint8Array.from([bits[id]]) });
    p.send({ type: 'interested' });
    await p.deliver();
  }
  const request = (id: string, index: number) => peer(id).send({ type: 'request', index, offset: 0, length: 16 * KiB });
  const pieces = (id: string) => peer(id).received.flatMap((m) => (m.type === 'piece' ? [m.index] : []));
  return {
    peer,
    request,
    pieces,
    deliverAll,
    /** `id` asks for chunk `index` and gets it once the cap allows (the bucket starts empty). */
    async sendTo(id: string, index: number) {
      request(id, index);
      for (let t = 0; t < 4 && pieces(id).length === 0; t++) {
        setup.clock.advance(1000);
        await deliverAll();
      }
      expect(pieces(id)).toEqual([index]);
    },
    /** Advances a second at a time until every one of `waiting` got a piece: their order. */
    async servedOrder(waiting: string[]) {
      expect(waiting.filter((id) => pieces(id).length > 0)).toEqual([]);
      const order: string[] = [];
      for (let t = 0; t < 2 * waiting.length && order.length < waiting.length; t++) {
        setup.clock.advance(1000);
        await deliverAll();
        for (const id of waiting) if (pieces(id).length > 0 && !order.includes(id)) order.push(id);
      }
      return order;
    },
    /** Advances until `id` got `count` pieces: their chunks, in order. */
    async piecesOf(id: string, count: number) {
      for (let t = 0; t < 2 * count && pieces(id).length < count; t++) {
        setup.clock.advance(1000);
        await deliverAll();
      }
      return pieces(id);
    },
  };
}

describe('super-seeding: chunks that did not spread first', () => {
  it('serves a chunk never sent before one that spread when super-seeding under an upload cap', async () => {
    // a takes chunk 0 from us; d got it elsewhere.
    const s = await cappedSharer(['a', 'b', 'c', 'd'], { d: 0b1000_0000 });
    await s.sendTo('a', 0);
    // a announces chunk 0 and asks for chunk 5, which takes what the cap allows now; then b asks
    // for chunk 0 (spread: d holds it, not from us) and c for chunk 1 (never sent): both wait.
    s.peer('a').send({ type: 'have', index: 0 });
    s.request('a', 5);
    s.request('b', 0);
    s.request('c', 1);
    await s.deliverAll();
    expect(await s.servedOrder(['b', 'c'])).toEqual(['c', 'b']);
  });
});

describe('super-seeding: a chunk that did not spread goes before common ones', () => {
  it('serves a chunk held only by the neighbor we gave it to before a laggard asking for a chunk others hold', async () => {
    // f takes chunk 0 from us and, like a free rider, passes it to nobody; w got chunk 1
    // elsewhere. Then the laggard asks for chunk 1 (which we never sent: "new" by count alone) and
    // c, holding more, for chunk 0: only we can give it.
    const s = await cappedSharer(['f', 'w', 'lag', 'c'], { w: 0b0100_0000, c: 0b0011_1000 });
    await s.sendTo('f', 0);
    // f announces chunk 0 and asks for chunk 6, which takes what the cap allows now; the laggard's
    // and c's requests then both wait.
    s.peer('f').send({ type: 'have', index: 0 });
    s.request('f', 6);
    s.request('lag', 1);
    s.request('c', 0);
    await s.deliverAll();
    expect(await s.servedOrder(['lag', 'c'])).toEqual(['c', 'lag']);
  });
});

describe("super-seeding: within a neighbor's queue too", () => {
  it('serves a neighbor its request for a chunk that did not spread before its earlier one for a common chunk', async () => {
    const s = await cappedSharer(['f', 'w', 'c'], { w: 0b0100_0000 });
    await s.sendTo('f', 0);
    s.peer('f').send({ type: 'have', index: 0 });
    s.request('f', 6); // takes what the cap allows now
    s.request('c', 1); // w holds it
    s.request('c', 0); // only f, from us
    await s.deliverAll();
    expect(await s.piecesOf('c', 2)).toEqual([0, 1]);
  });
});

describe('super-seeding: among chunks that did not spread, the one sent fewest times first', () => {
  it('serves a chunk never sent before a second copy of one whose receiver has not announced it yet', async () => {
    // a takes chunk 0 and does not announce it yet (it is on its way); then b asks for chunk 0
    // too and c for chunk 1, never sent. Sending chunk 0 again first would delay chunk 1, which
    // only we can give, by a chunk time.
    const s = await cappedSharer(['a', 'b', 'c']);
    await s.sendTo('a', 0);
    s.request('a', 5); // takes what the cap allows now
    s.request('b', 0); // b's request comes first
    s.request('c', 1);
    await s.deliverAll();
    expect(await s.servedOrder(['b', 'c'])).toEqual(['c', 'b']);
  });

  it("serves a neighbor's request for a chunk never sent before its earlier one for a chunk on its way elsewhere", async () => {
    const s = await cappedSharer(['a', 'b']);
    await s.sendTo('a', 0);
    s.request('a', 5); // takes what the cap allows now
    s.request('b', 0); // on its way to a, not announced
    s.request('b', 1); // never sent
    await s.deliverAll();
    expect(await s.piecesOf('b', 2)).toEqual([1, 0]);
  });
});
