/** The order in which a rate-capped uploader serves neighbors that wait for it. */
import { describe, expect, it } from 'vitest';
import { attachScripted, handshakeFor, scriptedEngine, type ScriptedPeer } from './testing/scripted-peer';

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

describe('super-seeding: chunks that did not spread first', () => {
  it('serves a chunk never sent before one that spread when super-seeding under an upload cap', async () => {
    // 16 KiB chunks at 16 KiB/s: one chunk per second. a takes chunk 0 from us; d got it elsewhere.
    const { engine, share, clock } = await scriptedEngine({
      config: { isOrigin: true, upBytesPerSec: 16 * KiB, starterSlots: 0 },
    });
    const ids = ['a', 'b', 'c', 'd'];
    const [a, b, c, d] = ids.map((id) => attachScripted(engine, id)) as [
      ScriptedPeer,
      ScriptedPeer,
      ScriptedPeer,
      ScriptedPeer,
    ];
    // Every link is flushed each step: bytes held on one count against the uplink queue cap.
    const deliverAll = async () => {
      for (const p of [a, b, c, d]) await p.deliver();
    };
    for (const [i, p] of [a, b, c, d].entries()) {
      p.send(handshakeFor(share.infoHash, ids[i]!));
      if (p === d) p.send({ type: 'bitfield', bits: Uint8Array.from([0b1000_0000]) }); // chunk 0
      p.send({ type: 'interested' });
    }
    await deliverAll();
    a.send({ type: 'request', index: 0, offset: 0, length: 16 * KiB });
    for (let t = 0; t < 4 && !a.received.some((m) => m.type === 'piece'); t++) {
      clock.advance(1000); // sent once the cap allows (the bucket starts empty)
      await deliverAll();
    }
    expect(a.received.some((m) => m.type === 'piece')).toBe(true);
    // a announces chunk 0 and asks for chunk 5, which takes what the cap allows now; then b asks
    // for chunk 0 (spread: d holds it, not from us) and c for chunk 1 (never sent): both wait.
    a.send({ type: 'have', index: 0 });
    a.send({ type: 'request', index: 5, offset: 0, length: 16 * KiB });
    b.send({ type: 'request', index: 0, offset: 0, length: 16 * KiB });
    c.send({ type: 'request', index: 1, offset: 0, length: 16 * KiB });
    await deliverAll();
    expect([b, c].some((p) => p.received.some((m) => m.type === 'piece'))).toBe(false);
    const order: string[] = [];
    for (let t = 0; t < 4 && order.length < 2; t++) {
      clock.advance(1000);
      await deliverAll();
      for (const [name, p] of [
        ['b', b],
        ['c', c],
      ] as const) {
        if (p.received.some((m) => m.type === 'piece') && !order.includes(name)) order.push(name);
      }
    }
    expect(order).toEqual(['c', 'b']);
  });
});

describe('super-seeding: a chunk that did not spread goes before common ones', () => {
  it('serves a chunk held only by the neighbor we gave it to before a laggard asking for a chunk others hold', async () => {
    // 16 KiB chunks at 16 KiB/s: one chunk per second. f takes chunk 0 from us and, like a free
    // rider, passes it to nobody; w got chunk 1 elsewhere. Then the laggard asks for chunk 1 (which
    // we never sent: "new" by count alone) and c, holding more, for chunk 0: only we can give it.
    const { engine, share, clock } = await scriptedEngine({
      config: { isOrigin: true, upBytesPerSec: 16 * KiB, starterSlots: 0 },
    });
    const ids = ['f', 'w', 'lag', 'c'];
    const [f, w, lag, c] = ids.map((id) => attachScripted(engine, id)) as [
      ScriptedPeer,
      ScriptedPeer,
      ScriptedPeer,
      ScriptedPeer,
    ];
    for (const [i, p] of [f, w, lag, c].entries()) {
      p.send(handshakeFor(share.infoHash, ids[i]!));
      if (p === w) p.send({ type: 'bitfield', bits: Uint8Array.from([0b0100_0000]) }); // chunk 1
      if (p === c) p.send({ type: 'bitfield', bits: Uint8Array.from([0b0011_1000]) }); // chunks 2, 3, 4
      p.send({ type: 'interested' });
      await p.deliver();
    }
    // Every link is flushed each step: bytes held on one count against the uplink queue cap.
    const deliverAll = async () => {
      for (const p of [f, w, lag, c]) await p.deliver();
    };
    f.send({ type: 'request', index: 0, offset: 0, length: 16 * KiB });
    for (let t = 0; t < 4 && !f.received.some((m) => m.type === 'piece'); t++) {
      clock.advance(1000); // sent once the cap allows (the bucket starts empty)
      await deliverAll();
    }
    expect(f.received.some((m) => m.type === 'piece')).toBe(true);
    // f announces chunk 0 and asks for chunk 6, which takes what the cap allows now; the laggard's
    // and c's requests then both wait.
    f.send({ type: 'have', index: 0 });
    f.send({ type: 'request', index: 6, offset: 0, length: 16 * KiB });
    lag.send({ type: 'request', index: 1, offset: 0, length: 16 * KiB });
    c.send({ type: 'request', index: 0, offset: 0, length: 16 * KiB });
    await deliverAll();
    expect([lag, c].some((p) => p.received.some((m) => m.type === 'piece'))).toBe(false);
    const order: string[] = [];
    for (let t = 0; t < 4 && order.length < 2; t++) {
      clock.advance(1000);
      await deliverAll();
      for (const [name, p] of [
        ['lag', lag],
        ['c', c],
      ] as const) {
        if (p.received.some((m) => m.type === 'piece') && !order.includes(name)) order.push(name);
      }
    }
    expect(order).toEqual(['c', 'lag']);
  });
});

describe("super-seeding: within a neighbor's queue too", () => {
  it('serves a neighbor its request for a chunk that did not spread before its earlier one for a common chunk', async () => {
    const { engine, share, clock } = await scriptedEngine({
      config: { isOrigin: true, upBytesPerSec: 16 * KiB, starterSlots: 0 },
    });
    const ids = ['f', 'w', 'c'];
    const [f, w, c] = ids.map((id) => attachScripted(engine, id)) as [ScriptedPeer, ScriptedPeer, ScriptedPeer];
    const deliverAll = async () => {
      for (const p of [f, w, c]) await p.deliver();
    };
    for (const [i, p] of [f, w, c].entries()) {
      p.send(handshakeFor(share.infoHash, ids[i]!));
      if (p === w) p.send({ type: 'bitfield', bits: Uint8Array.from([0b0100_0000]) }); // chunk 1
      p.send({ type: 'interested' });
    }
    await deliverAll();
    f.send({ type: 'request', index: 0, offset: 0, length: 16 * KiB });
    for (let t = 0; t < 4 && !f.received.some((m) => m.type === 'piece'); t++) {
      clock.advance(1000);
      await deliverAll();
    }
    f.send({ type: 'have', index: 0 });
    f.send({ type: 'request', index: 6, offset: 0, length: 16 * KiB }); // takes what the cap allows now
    c.send({ type: 'request', index: 1, offset: 0, length: 16 * KiB }); // w holds it
    c.send({ type: 'request', index: 0, offset: 0, length: 16 * KiB }); // only f, from us
    await deliverAll();
    const pieces = () => c.received.flatMap((m) => (m.type === 'piece' ? [m.index] : []));
    for (let t = 0; t < 4 && pieces().length < 2; t++) {
      clock.advance(1000);
      await deliverAll();
    }
    expect(pieces()).toEqual([0, 1]);
  });
});
