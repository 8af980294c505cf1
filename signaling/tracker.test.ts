/** The tracker's core behavior against a real server on port 0 with real `ws` clients. */
import { describe, expect, it } from 'vitest';
import { PEER_ID_PATTERN } from '../src/protocol/tracker.ts';
import { roundTrip, swarmId, TestClient, useTracker } from './testing/test-client.ts';

const harness = useTracker({ limits: { maxConnectionsPerIp: 2000, messagesPerSec: 10_000, messageBurst: 10_000 } });
const connect = () => harness.connect();

describe('peer ids', () => {
  it('are assigned by the server, unique, and cannot be chosen in hello', async () => {
    const a = harness.open();
    await a.opened;
    a.send({ type: 'hello', version: 1, peerId: 'AAAAAAAAAAAAAAAA' });
    const welcome = await a.next('welcome');
    expect(welcome.peerId).toMatch(PEER_ID_PATTERN);
    expect(welcome.peerId).not.toBe('AAAAAAAAAAAAAAAA');
    const b = await connect();
    expect(b.peerId).not.toBe(welcome.peerId);
  });
});

describe('announce', () => {
  it('returns random subsets, capped at 30, never the asker, different between announces', async () => {
    const swarm = swarmId(1);
    const members = await Promise.all(Array.from({ length: 40 }, connect));
    for (const m of members) await m.announce(swarm);
    const asker = members[0]!;
    const ids = new Set(members.map((m) => m.peerId));
    const first = await asker.announce(swarm);
    const second = await asker.announce(swarm);
    for (const list of [first, second]) {
      expect(list).toHaveLength(30);
      expect(new Set(list).size).toBe(30);
      expect(list).not.toContain(asker.peerId);
      for (const p of list) expect(ids.has(p)).toBe(true);
    }
    expect(second).not.toEqual(first);
    expect(await asker.announce(swarm, 5)).toHaveLength(5);
    expect(await asker.announce(swarm, 500)).toHaveLength(30);
    expect(await asker.announce(swarm, 0)).toEqual([]);
  });

  it('gives the first member an empty list and the second one the first', async () => {
    const [a, b] = [await connect(), await connect()];
    expect(await a.announce(swarmId(2))).toEqual([]);
    expect(await b.announce(swarmId(2))).toEqual([a.peerId]);
    expect(await a.announce(swarmId(2))).toEqual([b.peerId]);
    expect(harness.tracker.stats().swarms).toBe(1);
  });
});

describe('signal relay', () => {
  it('relays within a swarm, tagged with the real sender', async () => {
    const [a, b] = [await connect(), await connect()];
    await a.announce(swarmId(3));
    await b.announce(swarmId(3));
    const payload = { sdp: 'v=0 offer', candidates: [1, 2, 3] };
    a.send({ type: 'signal', swarm: swarmId(3), to: b.peerId, payload });
    expect(await b.next('signal')).toEqual({ type: 'signal', swarm: swarmId(3), from: a.peerId, payload });
  });

  it('cannot spoof the sender: a "from" field is ignored', async () => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    for (const x of [a, b, c]) await x.announce(swarmId(4));
    a.send({ type: 'signal', swarm: swarmId(4), to: b.peerId, from: c.peerId, payload: 'x' });
    expect((await b.next('signal')).from).toBe(a.peerId);
  });

  it('refuses across swarms, to unknown peers, to itself, and from a non-member', async () => {
    const [a, b] = [await connect(), await connect()];
    await a.announce(swarmId(5));
    await b.announce(swarmId(6));
    a.send({ type: 'signal', swarm: swarmId(5), to: b.peerId, payload: 1 });
    expect(await a.next('error')).toMatchObject({ code: 'unknown-peer', ref: 'signal' });
    a.send({ type: 'signal', swarm: swarmId(6), to: b.peerId, payload: 1 });
    expect(await a.next('error')).toMatchObject({ code: 'not-in-swarm', ref: 'signal' });
    a.send({ type: 'signal', swarm: swarmId(5), to: 'ZZZZZZZZZZZZZZZZ', payload: 1 });
    expect(await a.next('error')).toMatchObject({ code: 'unknown-peer' });
    a.send({ type: 'signal', swarm: swarmId(5), to: a.peerId, payload: 1 });
    expect(await a.next('error')).toMatchObject({ code: 'unknown-peer' });
    await roundTrip(b);
    expect(b.received).toEqual([]);
  });
});

describe('leave and disconnect', () => {
  it('tell only the peers a client exchanged signals with, and stop relays to it', async () => {
    const [a, b, c, d] = [await connect(), await connect(), await connect(), await connect()];
    for (const x of [a, b, c, d]) await x.announce(swarmId(7));
    a.send({ type: 'signal', swarm: swarmId(7), to: b.peerId, payload: 'offer' });
    await b.next('signal');
    c.send({ type: 'signal', swarm: swarmId(7), to: a.peerId, payload: 'offer' });
    await a.next('signal');
    a.send({ type: 'leave', swarm: swarmId(7) });
    expect(await b.next('peer-gone')).toEqual({ type: 'peer-gone', swarm: swarmId(7), peerId: a.peerId });
    expect(await c.next('peer-gone')).toEqual({ type: 'peer-gone', swarm: swarmId(7), peerId: a.peerId });
    await roundTrip(d);
    expect(d.received).toEqual([]);
    b.send({ type: 'signal', swarm: swarmId(7), to: a.peerId, payload: 'late' });
    expect(await b.next('error')).toMatchObject({ code: 'unknown-peer' });
    expect(await b.announce(swarmId(7))).not.toContain(a.peerId);
    a.send({ type: 'leave', swarm: swarmId(7) });
    expect(await a.next('error')).toMatchObject({ code: 'not-in-swarm', ref: 'leave' });
  });

  it('a closed socket leaves every swarm and its contacts are told', async () => {
    const [a, b] = [await connect(), await connect()];
    for (const s of [8, 9]) {
      await a.announce(swarmId(s));
      await b.announce(swarmId(s));
    }
    b.send({ type: 'signal', swarm: swarmId(9), to: a.peerId, payload: 'x' });
    await a.next('signal');
    await a.close();
    expect(await b.next('peer-gone')).toEqual({ type: 'peer-gone', swarm: swarmId(9), peerId: a.peerId });
    expect(await b.announce(swarmId(8))).toEqual([]);
    expect(harness.tracker.stats()).toMatchObject({ clients: 1, swarms: 2, contacts: 0 });
  });

  it('leaves no trace after 1,000 join/leave cycles', async () => {
    const swarm = swarmId(10);
    const residents = await Promise.all(Array.from({ length: 5 }, connect));
    for (const r of residents) await r.announce(swarm);
    const baseline = harness.tracker.stats();
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const c = await TestClient.connect(harness.tracker.wsUrl);
          const target = residents[i % residents.length]!;
          await c.announce(swarm);
          await c.announce(swarmId(1000 + i)); // a swarm of its own, which must vanish with it
          c.send({ type: 'signal', swarm, to: target.peerId, payload: i });
          if (i % 2) {
            c.send({ type: 'leave', swarm });
            await c.announce(swarm, 0); // re-join so that both paths (leave, close) are exercised
          }
          await c.close();
        }),
      );
    }
    for (const r of residents) await roundTrip(r);
    const gone = residents.map((r) => r.received.filter((m) => m.type === 'peer-gone').length);
    expect(gone.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(1000);
    await expect.poll(() => harness.tracker.stats()).toEqual(baseline);
    expect(baseline).toMatchObject({ clients: 5, swarms: 1, addresses: 1, awaitingHello: 0, contacts: 0 });
    expect(harness.tracker.registry.size(swarm)).toBe(5);
  });
});
