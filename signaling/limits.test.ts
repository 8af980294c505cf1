/** Every limit and every kind of bad input, each against a real server with real `ws` clients. */
import { describe, expect, it } from 'vitest';
import type { TrackerLimits } from './config.ts';
import { encodeFrame, RawWebSocket } from '../bench/tracker-raw-socket.ts';
import { roundTrip, swarmId, TestClient, useTrackerPerTest } from './testing/test-client.ts';
import { VirtualClock } from '../src/engine/testing/index.ts';

const trackers = useTrackerPerTest();
const start = (limits: Partial<TrackerLimits> = {}) => trackers.start({ limits, log: () => {} });
const { connect, open: raw } = trackers;

/** Two members of one swarm that can still relay to each other: proof the server serves them. */
async function stillServed(a: TestClient, b: TestClient, swarm = swarmId(99)): Promise<void> {
  await a.announce(swarm);
  await b.announce(swarm);
  a.send({ type: 'signal', swarm, to: b.peerId, payload: 'still here' });
  expect(await b.next('signal')).toMatchObject({ from: a.peerId, payload: 'still here' });
}

describe('bad input gets an error naming the problem, and the connection stays usable', () => {
  it.each([
    ['not json', 'bad-json', /not valid JSON/],
    ['[1,2]', 'bad-json', /JSON object/],
    ['{"swarm":"x"}', 'bad-json', /"type"/],
    ['{"type":"teleport"}', 'unknown-type', /"teleport"/],
    ['{"type":"announce","swarm":42}', 'bad-message', /"swarm" must be string/],
    ['{"type":"announce","swarm":"../../etc/passwd"}', 'bad-swarm', /"swarm"/],
    [`{"type":"announce","swarm":"${swarmId(1)}","want":-1}`, 'bad-message', /"want"/],
    [`{"type":"announce","swarm":"${swarmId(1)}","want":"all"}`, 'bad-message', /"want" must be number/],
    [`{"type":"signal","swarm":"${swarmId(1)}","to":5,"payload":1}`, 'bad-message', /"to"/],
    [`{"type":"signal","swarm":"${swarmId(1)}","to":"AAAAAAAAAAAAAAAA"}`, 'bad-message', /"payload"/],
    ['{"type":"hello","version":1}', 'not-hello', /already/],
  ])('%s -> %s', async (frame, code, words) => {
    const t = await start();
    const c = await connect(t);
    c.send(frame);
    const error = await c.next('error');
    expect(error.code).toBe(code);
    expect(error.message).toMatch(words);
    expect(await c.announce(swarmId(2))).toEqual([]);
  });

  it('a signal payload nested thousands of levels deep is refused, not relayed or crashed on', async () => {
    const t = await start({ maxSignalBytes: 64 * 1024 });
    const [a, b] = [await connect(t), await connect(t)];
    await a.announce(swarmId(1));
    await b.announce(swarmId(1));
    const deep = '['.repeat(16_000) + ']'.repeat(16_000);
    a.send(`{"type":"signal","swarm":"${swarmId(1)}","to":"${b.peerId}","payload":${deep}}`);
    expect(await a.next('error')).toMatchObject({ code: 'bad-message', message: expect.stringMatching(/nested/) });
    await stillServed(a, b);
  });

  it('a huge type name is not echoed back in full', async () => {
    const c = await connect(await start());
    c.send({ type: 'x'.repeat(50_000) });
    const err = await c.next('error');
    expect(err.code).toBe('unknown-type');
    expect(JSON.stringify(err).length).toBeLessThan(300);
  });

  it('binary frames are refused', async () => {
    const c = await connect(await start());
    c.ws.send(Buffer.from([1, 2, 3]));
    expect(await c.next('error')).toMatchObject({ code: 'bad-message' });
  });

  it('wrong protocol version and messages before hello are refused; a correct hello still works', async () => {
    const t = await start();
    const c = raw(t);
    await c.opened;
    c.send({ type: 'announce', swarm: swarmId(1) });
    expect(await c.next('error')).toMatchObject({ code: 'not-hello', ref: 'announce' });
    c.send({ type: 'hello', version: 99 });
    const err = await c.next('error');
    expect(err).toMatchObject({ code: 'bad-version', ref: 'hello' });
    expect(err.message).toMatch(/version 1, not 99/);
    c.send({ type: 'hello', version: 1 });
    expect(await c.next('welcome')).toMatchObject({ version: 1 });
  });
});

describe('limits', () => {
  it('closes a frame over the max message size with 1009; others are unaffected', async () => {
    const t = await start({ maxMessageBytes: 64 * 1024 });
    const [big, a, b] = [await connect(t), await connect(t), await connect(t)];
    big.send({ type: 'announce', swarm: swarmId(1), pad: 'x'.repeat(64 * 1024) });
    expect((await big.closed).code).toBe(1009);
    await stillServed(a, b);
  });

  it('refuses a signal payload over the cap with too-large and keeps the socket', async () => {
    const t = await start({ maxSignalBytes: 1024 });
    const [a, b] = [await connect(t), await connect(t)];
    await a.announce(swarmId(1));
    await b.announce(swarmId(1));
    a.send({ type: 'signal', swarm: swarmId(1), to: b.peerId, payload: 'x'.repeat(2000) });
    expect(await a.next('error')).toMatchObject({ code: 'too-large', ref: 'signal' });
    await stillServed(a, b);
  });

  it('rate limit: one error first, then a close on continued abuse, while others are served', async () => {
    const t = await start({ messagesPerSec: 1, messageBurst: 10, rateStrikes: 30 });
    const [flooder, a, b] = [await connect(t), await connect(t), await connect(t)];
    for (let i = 0; i < 20; i++) flooder.send({ type: 'barrier' });
    await expect.poll(() => flooder.received.filter((m) => m.code === 'rate-limited').length).toBe(1);
    await stillServed(a, b);
    expect(flooder.ws.readyState).toBe(flooder.ws.OPEN);
    for (let i = 0; i < 40; i++) flooder.send({ type: 'barrier' });
    expect((await flooder.closed).code).toBe(1008);
    expect(flooder.received.filter((m) => m.code === 'rate-limited')).toHaveLength(1);
    await stillServed(a, b, swarmId(98));
  });

  it('rate limit: strikes reset once the bucket refills, so a bursty but fair client is never closed', async () => {
    const t = await start({ messagesPerSec: 20, messageBurst: 5, rateStrikes: 8 });
    const c = await connect(t);
    const limited = () => c.received.filter((m) => m.code === 'rate-limited').length;
    for (let i = 0; i < 10; i++) c.send({ type: 'barrier' }); // 5 answered, 5 strikes
    await expect.poll(limited).toBe(1);
    await new Promise((r) => setTimeout(r, 400)); // >= 8 tokens refill, capped at 5
    for (let i = 0; i < 10; i++) c.send({ type: 'barrier' }); // 5 more strikes: 10 in total, but not in a row
    await expect.poll(limited).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.ws.readyState).toBe(c.ws.OPEN);
  });

  it('caps swarms per connection', async () => {
    const t = await start({ maxSwarmsPerConnection: 3 });
    const c = await connect(t);
    for (const s of [1, 2, 3]) await c.announce(swarmId(s));
    c.send({ type: 'announce', swarm: swarmId(4) });
    expect(await c.next('error')).toMatchObject({ code: 'too-many-swarms', ref: 'announce' });
    expect(await c.announce(swarmId(3))).toEqual([]); // re-announcing a joined swarm is fine
    c.send({ type: 'leave', swarm: swarmId(1) });
    expect(await c.announce(swarmId(4))).toEqual([]);
    expect(t.stats().swarms).toBe(3);
  });

  it('caps connections per IP with close 1013, and frees the slot on close', async () => {
    const t = await start({ maxConnectionsPerIp: 3 });
    const [a, ,] = [await connect(t), await connect(t), await connect(t)];
    const refused = raw(t);
    expect(await refused.closed).toEqual({ code: 1013, reason: 'too many connections from your address' });
    await a.close();
    await expect.poll(() => t.stats().clients).toBe(2);
    await connect(t);
    expect(t.stats()).toMatchObject({ clients: 3, addresses: 1 });
  });

  it('caps total connections with close 1013', async () => {
    const t = await start({ maxConnections: 2, maxConnectionsPerIp: 100 });
    const [a, b] = [await connect(t), await connect(t)];
    const refused = raw(t);
    expect(await refused.closed).toEqual({ code: 1013, reason: 'tracker full: try again later' });
    await stillServed(a, b);
  });

  it('caps remembered signal contacts per swarm', async () => {
    const t = await start({ maxContactsPerSwarm: 2 });
    const [a, b, c, d] = [await connect(t), await connect(t), await connect(t), await connect(t)];
    for (const x of [a, b, c, d]) await x.announce(swarmId(1));
    for (const x of [b, c, d]) a.send({ type: 'signal', swarm: swarmId(1), to: x.peerId, payload: 1 });
    for (const x of [b, c, d]) await x.next('signal');
    // Symmetric: a remembers b and c (its cap), they remember a; d and a remember neither.
    expect(t.stats().contacts).toBe(2 + 2);
    void a.close();
    await expect.poll(() => t.stats()).toMatchObject({ clients: 3, contacts: 0 }); // nothing left pointing at a
  });

  it('closes a connection that never says hello (1008)', async () => {
    const t = await start({ helloTimeoutMs: 200 });
    const silent = raw(t);
    expect(await silent.closed).toEqual({ code: 1008, reason: 'no hello in time' });
    await expect.poll(() => t.stats()).toMatchObject({ clients: 0, awaitingHello: 0 });
  });

  it('drops a socket that stops answering pings', async () => {
    // 500 ms: long enough that a live client's pong is never late even on a loaded machine
    const t = await start({ pingIntervalMs: 500 });
    const dead = new TestClient(t.wsUrl, { autoPong: false });
    trackers.onCleanup(() => dead.ws.terminate());
    await dead.opened;
    dead.send({ type: 'hello', version: 1 });
    await dead.next('welcome');
    const alive = await connect(t);
    expect((await dead.closed).code).toBe(1006); // terminated, no close frame
    await new Promise((r) => setTimeout(r, 1000)); // two more intervals for the live one
    expect(alive.ws.readyState).toBe(alive.ws.OPEN);
    expect(t.stats().clients).toBe(1);
  });

  it('pings each client once per interval, spread over it rather than all at once', async () => {
    // A virtual clock: the sweeps run only when the test moves time, so load cannot shift them.
    const clock = new VirtualClock();
    const t = await trackers.start({ limits: { pingIntervalMs: 1000 }, log: () => {}, clock });
    const all = await Promise.all(Array.from({ length: 40 }, () => connect(t)));
    const pings = all.map((c) => {
      const at: number[] = [];
      c.ws.on('ping', () => at.push(clock.now()));
      return at;
    });
    for (let ms = 0; ms < 2600; ms += 50) {
      clock.advance(50);
      // The server sent this tick's pings before it read these: each arrives before its answer.
      await Promise.all(all.map(roundTrip));
    }
    const firsts = pings.map((p) => p[0] ?? NaN).sort((a, b) => a - b);
    expect(firsts.every(Number.isFinite)).toBe(true);
    // 40 sessions over 20 ticks of 50 ms: two per tick, so the first round takes ~1 s, not one tick
    const perTick = new Map<number, number>();
    for (const at of pings.flat()) perTick.set(at, (perTick.get(at) ?? 0) + 1);
    expect(Math.max(...perTick.values())).toBe(2);
    expect((firsts.at(-1) ?? 0) - (firsts[0] ?? 0)).toBeGreaterThanOrEqual(950);
    for (const p of pings) {
      expect(p.length).toBeGreaterThanOrEqual(2);
      expect(p.length).toBeLessThanOrEqual(3);
      // once per interval: the next round starts one interval (and at most two ticks) later
      for (let k = 1; k < p.length; k++) expect((p[k] ?? 0) - (p[k - 1] ?? 0)).toBeGreaterThanOrEqual(1000);
      for (let k = 1; k < p.length; k++) expect((p[k] ?? 0) - (p[k - 1] ?? 0)).toBeLessThanOrEqual(1100);
    }
    expect(t.stats().clients).toBe(40); // all answered: nobody dropped
  });

  it('disconnects a client that stops reading instead of buffering for it, telling its contacts', async () => {
    const t = await start({
      maxBufferedBytes: 256 * 1024,
      maxSignalBytes: 60_000,
      messagesPerSec: 10_000,
      messageBurst: 10_000,
    });
    const [sender, stuck] = [await connect(t), await connect(t)];
    await sender.announce(swarmId(1));
    await stuck.announce(swarmId(1));
    (stuck.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const payload = 'x'.repeat(50_000);
    for (let i = 0; i < 400; i++) sender.send({ type: 'signal', swarm: swarmId(1), to: stuck.peerId, payload });
    expect(await sender.next('peer-gone', 10_000)).toMatchObject({ peerId: stuck.peerId });
  });
});

describe('a flooding client never hurts the others', () => {
  it('keeps serving announces and relays while one client sends garbage as fast as it can', async () => {
    // rateStrikes out of reach: the flooder stays connected (and flooding) for the whole test;
    // the close on abuse has its own test above.
    const t = await start({ messagesPerSec: 50, messageBurst: 100, rateStrikes: 1e9 });
    const [a, b] = [await connect(t), await connect(t)];
    // The flooder runs in this process, next to the server: a raw socket writing 100 pre-encoded
    // frames per write costs it almost nothing, so the server's CPU goes to the flood, not to a
    // `ws` client framing and masking each message (which made this test slow on a loaded machine).
    const replies = { total: 0, rateLimited: 0 };
    const flooder = new RawWebSocket(
      t.port,
      '/tracker',
      (_op, buf, start, end) => {
        replies.total++;
        if (buf.toString('utf8', start, end).includes('"rate-limited"')) replies.rateLimited++;
      },
      () => {},
    );
    await flooder.opened;
    flooder.send(JSON.stringify({ type: 'hello', version: 1 }));
    await expect.poll(() => replies.total).toBe(1); // welcome
    const garbage = Buffer.concat(
      Array.from({ length: 100 }, (_, i) => encodeFrame(i % 2 ? '{"type":' : '{"type":"announce","swarm":"nope"}')),
    );
    let stop = false;
    let frames = 0;
    const flood = (async () => {
      while (!stop && !flooder.closed) {
        frames += 100;
        if (!flooder.socket.write(garbage)) await new Promise((r) => flooder.socket.once('drain', r));
        else await new Promise((r) => setImmediate(r));
      }
    })();
    for (let round = 0; round < 10; round++) await stillServed(a, b, swarmId(round));
    await roundTrip(a);
    stop = true;
    await flood;
    expect(flooder.closed).toBe(false); // it flooded all along
    expect(frames).toBeGreaterThan(1000);
    expect(replies.rateLimited).toBeGreaterThan(0);
    expect(replies.total).toBeLessThan(frames / 2); // refused frames are dropped, not answered one by one
    flooder.terminate();
  }, 30_000);
});
