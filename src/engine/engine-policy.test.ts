/** Choking and request-pipeline behavior of one engine against scripted neighbors. */
import { describe, expect, it } from 'vitest';
import {
  attachBusyNeighbor,
  attachScripted,
  attachUnchokingSource,
  handshakeFor,
  lastChokeState,
  metadataOf,
  pieceOf,
  scriptedEngine,
  shownTo,
  type ScriptedPeer,
} from './testing/scripted-peer';

const KiB = 1024;
const has = (p: ScriptedPeer, type: string) => p.received.some((m) => m.type === type);

describe('choking', () => {
  it('fills a free slot at once, then the optimistic one; others wait', async () => {
    const { engine, share } = await scriptedEngine({
      config: { isOrigin: false, uploadSlots: 1, starterSlots: 0 },
    });
    const peers = ['a', 'b', 'c'].map((id) => attachScripted(engine, id));
    for (const p of peers) {
      p.send(handshakeFor(share.infoHash, p.peerId));
      p.send({ type: 'interested' });
      await p.deliver();
    }
    expect(peers.map(lastChokeState)).toEqual(['unchoke', 'unchoke', undefined]);
    expect(engine.snapshot().neighbors.find((n) => n.peerId === 'b')!.optimistic).toBe(true);
  });

  it('opens an extra slot as soon as no unchoked neighbor has requests queued', async () => {
    const { engine, share } = await scriptedEngine({
      config: { isOrigin: false, uploadSlots: 1, highWaterBytes: 16 * KiB, starterSlots: 0 },
    });
    const connect = async (id: string) => {
      const p = attachScripted(engine, id);
      p.send(handshakeFor(share.infoHash, id));
      p.send({ type: 'interested' });
      await p.deliver();
      return p;
    };
    const a = await connect('a');
    // a is busy: its second request waits behind a transport at the high-water mark.
    a.send({ type: 'request', index: 0, offset: 0, length: 16 * KiB });
    a.send({ type: 'request', index: 1, offset: 0, length: 16 * KiB });
    a.remote.flush();
    const b = await connect('b'); // the optimistic slot
    const c = await connect('c');
    expect([lastChokeState(a), lastChokeState(b), lastChokeState(c)]).toEqual(['unchoke', 'unchoke', undefined]);
    while (engine.snapshot().neighbors.find((n) => n.peerId === 'a')!.requestsIn > 0) await a.deliver();
    await a.deliver(); // drained: a's queue is empty, nobody has anything queued
    c.local.flush();
    expect(lastChokeState(c)).toBe('unchoke'); // at once, not at the next tick
  });

  it('gives an idle slot to the waiting neighbor with the fewest chunks ', async () => {
    const { engine, share } = await scriptedEngine({
      size: 512 * KiB,
      chunkSize: 64 * KiB,
      config: { isOrigin: false, uploadSlots: 1, highWaterBytes: 16 * KiB },
    });
    const ids = ['a', 'b', 'c1', 'c2', 'c3', 'c4', 'c5', 'empty'];
    const peers: ScriptedPeer[] = [];
    for (const id of ids) {
      const p = attachScripted(engine, id);
      peers.push(p);
      p.send(handshakeFor(share.infoHash, id));
      // The traders hold 3 of the 8 chunks; 'empty' holds none.
      if (id.startsWith('c')) p.send({ type: 'bitfield', bits: Uint8Array.from([0b1110_0000]) });
      p.send({ type: 'interested' });
      // a keeps the uplink busy (blocks wait behind the high-water mark) while the others arrive.
      if (id === 'a')
        for (let i = 0; i < 4; i++) p.send({ type: 'request', index: 0, offset: i * 16 * KiB, length: 16 * KiB });
      await p.deliver();
    }
    expect(peers.map(lastChokeState).slice(0, 3)).toEqual(['unchoke', 'unchoke', undefined]); // a: slot, b: optimistic
    const a = peers[0]!;
    while (engine.snapshot().neighbors.find((n) => n.peerId === 'a')!.requestsIn > 0) await a.deliver();
    await a.deliver(); // nobody has requests queued: one more slot opens
    for (const p of peers) p.local.flush();
    expect(peers.filter((p) => lastChokeState(p) === 'unchoke').map((p) => p.peerId)).toEqual(['a', 'b', 'empty']);
  });

  it('rechokes every rechokeIntervalMs by rate: the neighbor that sends us most keeps its slot', async () => {
    const { engine, share, clock } = await scriptedEngine({
      seeder: false,
      size: 512 * KiB,
      config: { uploadSlots: 1, resyncIntervalMs: 0 },
    });
    // We are a leecher holding nothing yet: fast and slow both want nothing from us, so nobody is unchoked.
    const fast = attachScripted(engine, 'fast');
    const slow = attachScripted(engine, 'slow');
    for (const [p, id] of [
      [fast, 'fast'],
      [slow, 'slow'],
    ] as const) {
      p.send(handshakeFor(share.infoHash, id, 3));
      await p.deliver();
    }
    // Metadata from fast.
    fast.send(metadataOf(share));
    await fast.deliver();
    expect(engine.getMetadata()).toBeDefined();
    const all = new Uint8Array(Math.ceil(share.metadata.chunkCount / 8)).fill(0xff);
    for (const p of [fast, slow]) {
      p.send({ type: 'bitfield', bits: all });
      p.send({ type: 'unchoke' });
      await p.deliver();
    }
    // fast answers every request with real data; slow answers none.
    const { content } = await scriptedEngine({ size: 512 * KiB });
    for (let round = 0; round < 3; round++) {
      for (const m of fast.received.splice(0)) {
        if (m.type === 'request') fast.send(pieceOf(content, 16 * KiB, m));
      }
      await fast.deliver();
    }
    // Both become interested in us once we have chunks.
    for (const p of [fast, slow]) {
      p.send({ type: 'interested' });
      await p.deliver();
    }
    clock.advance(engine.config.rechokeIntervalMs);
    await fast.deliver();
    await slow.deliver();
    const nb = engine.snapshot().neighbors;
    const regular = nb.filter((n) => !n.amChoking && !n.optimistic).map((n) => n.peerId);
    expect(regular).toEqual(['fast']);
  });
});

describe('request pipeline', () => {
  it('keeps at least minQueueDepth requests in flight to a neighbor', async () => {
    const s = await attachUnchokingSource(await scriptedEngine({ seeder: false, config: { minQueueDepth: 3 } }), 's');
    expect(has(s, 'interested')).toBe(true);
    expect(s.received.filter((m) => m.type === 'request')).toHaveLength(3);
  });

  it('snubs a neighbor that sends nothing, later for larger blocks (timeouts scale with block size)', async () => {
    for (const [blockSize, snubbedAfterS] of [
      [16 * KiB, 20],
      [64 * KiB, 80],
    ] as const) {
      const setup = await scriptedEngine({
        seeder: false,
        size: 512 * KiB,
        chunkSize: 64 * KiB,
        config: { blockSize, resyncIntervalMs: 0 },
      });
      const { engine, clock } = setup;
      const s = await attachUnchokingSource(setup, 's');
      const snubbed = () => engine.snapshot().neighbors[0]!.snubbed;
      clock.advance(snubbedAfterS * 1000 - engine.config.tickMs);
      expect(snubbed(), `block ${blockSize}`).toBe(false);
      clock.advance(2 * engine.config.tickMs);
      await s.deliver();
      expect(snubbed(), `block ${blockSize}`).toBe(true);
      expect(has(s, 'cancel')).toBe(true);
      // Snubbed: one request at a time.
      expect(engine.snapshot().neighbors[0]!.requestsOut).toBe(1);
    }
  });
});

describe('snapshot', () => {
  it('lists the chunks in flight: those with requests out, none before unchoke', async () => {
    const { engine, share } = await scriptedEngine({
      seeder: false,
      size: 512 * KiB,
      chunkSize: 64 * KiB,
      config: { blockSize: 16 * KiB },
    });
    const s = attachScripted(engine, 's');
    s.send(handshakeFor(share.infoHash, 's', 3));
    s.send(metadataOf(share));
    await s.deliver();
    s.send({ type: 'bitfield', bits: new Uint8Array(1).fill(0xff) });
    await s.deliver();
    expect(engine.snapshot().inFlight).toEqual([]);
    s.send({ type: 'unchoke' });
    await s.deliver();
    const requested = [...new Set(s.received.flatMap((m) => (m.type === 'request' ? [m.index] : [])))].sort(
      (x, y) => x - y,
    );
    expect(requested.length).toBeGreaterThan(0);
    expect(engine.snapshot().inFlight).toEqual(requested);
  });
});

describe('super-seeding (origin option)', () => {
  const shown = shownTo;
  /** A sharer showing 2 chunks a neighbor, a and b linked, and c asking for what it is shown (the uplink stays busy). */
  async function sharerWithTwo() {
    const setup = await scriptedEngine({
      config: { superSeeding: true, superSeedReveals: 2, highWaterBytes: 16 * KiB },
    });
    const a = attachScripted(setup.engine, 'a');
    const b = attachScripted(setup.engine, 'b');
    await attachBusyNeighbor(setup, 'c', 16 * KiB);
    return { ...setup, a, b };
  }

  it('shows each neighbor only superSeedReveals chunks, least shown first, instead of the bitfield', async () => {
    const { share, a, b } = await sharerWithTwo();
    a.send(handshakeFor(share.infoHash, 'a'));
    await a.deliver();
    b.send(handshakeFor(share.infoHash, 'b'));
    await b.deliver();
    expect(has(a, 'bitfield')).toBe(false);
    expect(shown(a)).toHaveLength(2);
    expect(shown(b)).toHaveLength(2);
    expect(new Set([...shown(a), ...shown(b)]).size).toBe(4); // distinct before any is shown twice
    // a downloads one; it frees a's slot only once it spread (b has it too).
    const first = shown(a)[0]!;
    a.send({ type: 'have', index: first });
    await a.deliver();
    expect(shown(a)).toHaveLength(2);
    b.send({ type: 'have', index: first });
    await b.deliver();
    await a.deliver();
    expect(shown(a)).toHaveLength(3);
  });

  it('does not choke a neighbor whose `not interested` crossed a `have` showing it more; chokes it once it truly wants nothing', async () => {
    // Why: a sharer that chokes on the stale `not interested` makes the neighbor's requests for the
    // newly shown chunk cross the choke; they are served after the re-unchoke while the neighbor
    // has dropped them, and it fetches those chunks twice.
    const { share, a, b } = await sharerWithTwo();
    a.send(handshakeFor(share.infoHash, 'a'));
    b.send(handshakeFor(share.infoHash, 'b'));
    await a.deliver();
    await b.deliver();
    const [x, y] = shown(a) as [number, number];
    a.send({ type: 'interested' });
    await a.deliver();
    expect(lastChokeState(a)).toBe('unchoke');
    // a got x and y and says so, its `not interested` first (as a real engine sends it): a has
    // not announced y yet, so the sharer keeps its slot...
    a.send({ type: 'have', index: x });
    a.send({ type: 'not-interested' });
    await a.deliver();
    expect(lastChokeState(a)).toBe('unchoke');
    // ...and once it has both while b still lacks them (nothing new to show a: both slots wait for
    // x and y to spread), a is choked after all.
    a.send({ type: 'have', index: y });
    await a.deliver();
    expect(shown(a)).toHaveLength(2);
    expect(lastChokeState(a)).toBe('choke');
  });

  it('shows a lone downloader everything (nobody to spread to), but not the first of several linked neighbors', async () => {
    const lone = await scriptedEngine({ config: { superSeeding: true, superSeedReveals: 2 } });
    const a = attachScripted(lone.engine, 'a');
    a.send(handshakeFor(lone.share.infoHash, 'a'));
    await a.deliver();
    expect(new Set(shown(a)).size).toBe(lone.share.metadata.chunkCount);
    const crowd = await scriptedEngine({ config: { superSeeding: true, superSeedReveals: 2 } });
    const first = attachScripted(crowd.engine, 'first');
    attachScripted(crowd.engine, 'second'); // linked, handshake not arrived yet: counts as lacking everything
    first.send(handshakeFor(crowd.share.infoHash, 'first'));
    await first.deliver();
    expect(shown(first)).toHaveLength(2);
  });

  it('when the uplink is about to idle and nobody waits in a choke, shows one more chunk and doubles the allowance', async () => {
    const { engine, share, clock } = await scriptedEngine({
      size: 512 * KiB,
      config: { superSeeding: true, superSeedReveals: 2, starterSlots: 0 },
    });
    const ids = ['a', 'b', 'c'];
    const [a, b, c] = ids.map((id) => attachScripted(engine, id)) as [ScriptedPeer, ScriptedPeer, ScriptedPeer];
    for (const p of [a, b, c]) {
      p.send(handshakeFor(share.infoHash, p.peerId));
      await p.deliver();
    }
    a.send({ type: 'interested' });
    await a.deliver();
    const [x, y] = shown(a) as [number, number];
    for (const index of [x, y]) a.send({ type: 'request', index, offset: 0, length: 16 * KiB });
    await a.deliver(); // both pieces sent and delivered (the transport drained): the uplink has nothing left to send
    await a.deliver();
    // One more shown at each idle moment while a has at most one shown chunk it has not asked
    // for (twice here), each doubling how many shown chunks may hold a's slots (2 -> 4 -> 8)...
    expect(shown(a)).toHaveLength(4);
    clock.advance(engine.config.tickMs);
    await a.deliver();
    expect(shown(a)).toHaveLength(8); // ...which the next re-check fills
    // b and c want something too: the origin unchokes every interested neighbor, they ask for
    // what they were shown and their pieces wait on our uplink, so it is the bottleneck again: a
    // asks for everything it was shown, and nothing more is shown.
    for (const p of [b, c]) {
      p.send({ type: 'interested' });
      for (const index of shown(p)) p.send({ type: 'request', index, offset: 0, length: 16 * KiB });
      p.remote.flush();
      p.local.flush();
    }
    expect([lastChokeState(b), lastChokeState(c)]).toEqual(['unchoke', 'unchoke']);
    for (const index of shown(a).slice(2)) a.send({ type: 'request', index, offset: 0, length: 16 * KiB });
    await a.deliver();
    await a.deliver();
    clock.advance(engine.config.tickMs);
    await a.deliver();
    expect(shown(a)).toHaveLength(8);
  });
});
