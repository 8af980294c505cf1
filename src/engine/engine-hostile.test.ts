/** Bad input from one neighbor costs that neighbor only: a peer-error (or ban), never a throw. */
import { describe, expect, it } from 'vitest';
import { encodeWireMessage } from '../protocol/wire';
import { HANDSHAKE_FLAG_HAS_METADATA } from '../protocol/wire-messages';
import type { WireMessage } from '../protocol/wire-messages';
import {
  attachScripted as attach,
  handshakeFor as handshake,
  peerErrors as errorsFor,
  scriptedEngine,
} from './testing/scripted-peer';
import { yieldToHost } from './testing/test-swarm';

const KiB = 1024;
const setup = (opts: { seeder?: boolean; config?: object } = { seeder: true }) => scriptedEngine(opts);

describe('hostile and broken neighbors', () => {
  it('garbage bytes: peer-error for that neighbor, the other neighbor is untouched', async () => {
    const { engine, share, events } = await setup();
    const bad = attach(engine, 'bad');
    const good = attach(engine, 'good');
    good.send(handshake(share.infoHash, 'good'));
    bad.send(handshake(share.infoHash, 'bad'));
    await good.deliver();
    await bad.deliver();
    bad.remote.send(Uint8Array.of(250, 1, 2, 3));
    await bad.deliver();
    expect(errorsFor(events, 'bad')[0]).toMatch(/unknown message id 250/);
    expect(engine.peerIds()).toEqual(['good']);
    expect(bad.local.isClosed).toBe(true);
    // The good neighbor still gets served.
    good.send({ type: 'interested' });
    await good.deliver();
    expect(good.received.map((m) => m.type)).toContain('unchoke');
    good.send({ type: 'request', index: 1, offset: 0, length: 16 * KiB });
    await good.deliver();
    expect(good.received.find((m) => m.type === 'piece')).toMatchObject({ type: 'piece', index: 1, offset: 0 });
  });

  it('rejects a handshake with another protocol version, share, or peer id', async () => {
    const { engine, share, events } = await setup();
    const wrongVersion = attach(engine, 'v');
    const bytes = encodeWireMessage(handshake(share.infoHash, 'v'));
    bytes[1] = 9;
    wrongVersion.remote.send(bytes);
    const otherShare = attach(engine, 's');
    otherShare.send(handshake(new Uint8Array(32), 's'));
    const liar = attach(engine, 'p');
    liar.send(handshake(share.infoHash, 'someone-else'));
    const early = attach(engine, 'e');
    early.send({ type: 'interested' });
    for (const p of [wrongVersion, otherShare, liar, early]) await p.deliver();
    expect(errorsFor(events, 'v')[0]).toMatch(/protocol version 9/);
    expect(errorsFor(events, 's')[0]).toMatch(/different share/);
    expect(errorsFor(events, 'p')[0]).toMatch(/peer id/);
    expect(errorsFor(events, 'e')[0]).toMatch(/expected a handshake/);
    expect(engine.peerIds()).toEqual([]);
  });

  it('out-of-range have, bitfield, request and piece are errors for that neighbor', async () => {
    const cases: [string, WireMessage[], RegExp][] = [
      ['have', [{ type: 'have', index: 8 }], /beyond the last chunk/],
      ['bitfield', [{ type: 'bitfield', bits: Uint8Array.of(0xff, 0xff) }], /chunk count/],
      [
        'request',
        [{ type: 'interested' }, { type: 'request', index: 0, offset: 16 * KiB - 1, length: 2 }],
        /outside the chunk/,
      ],
      ['piece', [{ type: 'piece', index: 99, offset: 0, data: new Uint8Array(4) }], /out of range/],
      ['handshake twice', [handshake(new Uint8Array(32), 'x')], /second handshake/],
    ];
    for (const [name, messages, pattern] of cases) {
      const { engine, share, events } = await setup();
      const p = attach(engine, name);
      p.send(handshake(share.infoHash, name));
      for (const m of messages) p.send(m);
      await p.deliver();
      expect(errorsFor(events, name)[0], name).toMatch(pattern);
      expect(engine.peerIds(), name).toEqual([]);
    }
  });

  it('a flood of requests is cut off', async () => {
    const { engine, share, events } = await setup({
      seeder: true,
      config: { maxIncomingRequests: 8, highWaterBytes: 16 * KiB },
    });
    const p = attach(engine, 'f');
    p.send(handshake(share.infoHash, 'f'));
    p.send({ type: 'interested' });
    await p.deliver();
    for (let i = 0; i < 20; i++) p.send({ type: 'request', index: i % 8, offset: 0, length: 16 * KiB });
    p.remote.flush(); // deliver the flood without letting the engine's sends drain
    await yieldToHost();
    expect(errorsFor(events, 'f')[0]).toMatch(/too many queued requests/);
  });

  it('never lets a transport queue more than the high-water mark; resumes on drain', async () => {
    const highWater = 64 * KiB;
    const { engine, share } = await setup({ seeder: true, config: { highWaterBytes: highWater } });
    const p = attach(engine, 'q');
    let maxBuffered = 0;
    const send = p.local.send.bind(p.local);
    p.local.send = (m: Uint8Array) => {
      send(m);
      maxBuffered = Math.max(maxBuffered, p.local.bufferedAmount);
    };
    p.send(handshake(share.infoHash, 'q'));
    p.send({ type: 'interested' });
    await p.deliver();
    for (let i = 0; i < 8; i++) p.send({ type: 'request', index: i, offset: 0, length: 16 * KiB });
    p.remote.flush();
    await yieldToHost();
    expect(p.local.bufferedAmount).toBeLessThanOrEqual(highWater);
    expect(p.received.filter((m) => m.type === 'piece')).toHaveLength(0);
    for (let round = 0; round < 10; round++) {
      p.local.flush(); // drain: the engine sends more
      await yieldToHost();
    }
    expect(p.received.filter((m) => m.type === 'piece')).toHaveLength(8);
    expect(maxBuffered).toBeLessThanOrEqual(highWater);
  });

  it('a neighbor whose metadata does not match the info hash is banned; metadata comes from another', async () => {
    const { engine, share, events } = await setup({ seeder: false });
    const liar = attach(engine, 'liar');
    liar.send(handshake(share.infoHash, 'liar', HANDSHAKE_FLAG_HAS_METADATA));
    await liar.deliver();
    expect(liar.received.find((m) => m.type === 'metadata-request')).toMatchObject({ piece: 0 });
    const fake = share.encodedMetadata.slice();
    fake[fake.length - 1]! ^= 1;
    liar.send({ type: 'metadata-data', piece: 0, totalSize: fake.length, data: fake });
    await liar.deliver();
    expect(events.find((e) => e.type === 'banned')).toMatchObject({
      peerId: 'liar',
      reason: expect.stringMatching(/info hash/),
    });
    expect(engine.getMetadata()).toBeUndefined();

    const honest = attach(engine, 'honest');
    honest.send(handshake(share.infoHash, 'honest', HANDSHAKE_FLAG_HAS_METADATA));
    await honest.deliver();
    honest.send({
      type: 'metadata-data',
      piece: 0,
      totalSize: share.encodedMetadata.length,
      data: share.encodedMetadata,
    });
    await honest.deliver();
    expect(engine.getMetadata()).toEqual(share.metadata);
    expect(events.some((e) => e.type === 'metadata')).toBe(true);
  });

  it('a neighbor that rejects or ignores metadata requests is left for another', async () => {
    const { engine, share, clock } = await setup({ seeder: false });
    const a = attach(engine, 'a');
    a.send(handshake(share.infoHash, 'a', HANDSHAKE_FLAG_HAS_METADATA));
    await a.deliver();
    const b = attach(engine, 'b');
    b.send(handshake(share.infoHash, 'b', HANDSHAKE_FLAG_HAS_METADATA));
    await b.deliver();
    const asked = () => [a, b].filter((p) => p.received.some((m) => m.type === 'metadata-request')).length;
    expect(asked()).toBe(1);
    clock.advance(engine.config.requestTimeoutMs + engine.config.tickMs); // the one asked stays silent
    await a.deliver();
    await b.deliver();
    expect(asked()).toBe(2);
  });

  it('a transport that throws on send ends only that link', async () => {
    const { engine, share, events } = await setup();
    const p = attach(engine, 't');
    p.send(handshake(share.infoHash, 't'));
    await p.deliver();
    p.local.send = () => {
      throw new Error('send queue full');
    };
    p.send({ type: 'interested' });
    await p.deliver();
    expect(errorsFor(events, 't')[0]).toMatch(/send queue full/);
    expect(engine.peerIds()).toEqual([]);
  });
});
