/**
 * Resource attacks on the real tracker, with real sockets, the way an attacker would send them:
 * tiny fragments, a frame dribbled one byte per TCP segment, a message that never ends, half-sent
 * HTTP requests, silent WebSockets crowding a class behind one NAT address, memory and file
 * descriptor limits. Each checks that the attack is cut and that honest clients are still served.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TrackerLimits } from './config.ts';
import type { Tracker } from './tracker.ts';
import { swarmId, TestClient, useTrackerPerTest } from './testing/test-client.ts';
import { dribble, dribbleFrame, fragments, halfSentRequest, rawWebSocket } from '../bench/attack-clients.ts';

const trackers = useTrackerPerTest();
const logged: string[] = [];
const start = (limits: Partial<TrackerLimits> = {}, fdLimit?: number) =>
  trackers.start({ limits, fdLimit, log: (_level, message) => logged.push(message) });
const { connect, open: silent, onCleanup } = trackers;
afterEach(() => {
  logged.length = 0;
});

/** Two members of one swarm relaying to each other: proof the tracker still serves honest clients. */
async function stillServed(t: Tracker): Promise<void> {
  const [a, b] = [await connect(t), await connect(t)];
  await a.announce(swarmId(7));
  await b.announce(swarmId(7));
  a.send({ type: 'signal', swarm: swarmId(7), to: b.peerId, payload: 'still here' });
  expect(await b.next('signal')).toMatchObject({ from: a.peerId, payload: 'still here' });
}

describe('memory per connection is bounded whatever the framing', () => {
  it('a message split into thousands of 1-byte fragments is cut (1008) after maxFragments', async () => {
    const t = await start({ helloTimeoutMs: 60_000 }); // only the fragment limit may close it
    const { ws, closed } = await rawWebSocket(t.port);
    onCleanup(() => ws.terminate());
    ws.sendFrame(fragments(2000)); // 14 KB on the wire; ws's own default would buffer all 2,000
    expect(await closed).toBe(1008);
    await stillServed(t);
  });

  it('a frame dribbled one byte per TCP segment is cut (1008) after maxBufferedChunks reads', async () => {
    const t = await start({ maxBufferedChunks: 16, helloTimeoutMs: 60_000 });
    const { ws, closed } = await rawWebSocket(t.port);
    onCleanup(() => ws.terminate());
    let code: number | undefined;
    void closed.then((c) => (code = c));
    // A 2,000-byte frame, one byte per segment: without the limit, ~450 B of server memory per byte.
    const sent = await dribble(ws.socket, dribbleFrame(2000), 2, () => code !== undefined);
    expect(await closed).toBe(1008);
    expect(sent).toBeLessThan(2000);
    await stillServed(t);
  });

  it('a message that never ends is cut after messageTimeoutMs even while its socket answers pings', async () => {
    const t = await start({ pingIntervalMs: 100, messageTimeoutMs: 200, helloTimeoutMs: 60_000 });
    const { ws, closed } = await rawWebSocket(t.port);
    onCleanup(() => ws.terminate());
    ws.sendFrame(fragments(3)); // under maxFragments: only the deadline can end it
    const code = await closed;
    expect(code).toBe(1006); // terminated: nothing more is read from it
    expect(logged.join('\n')).toMatch(/incomplete for too long/);
    await stillServed(t);
  });
});

describe('per-address limits before the upgrade', () => {
  it('half-sent HTTP requests from one address: capped per address, closed after headersTimeoutMs, logged', async () => {
    const t = await start({ maxHttpSocketsPerIp: 20, headersTimeoutMs: 500 });
    const attack = await Promise.all(Array.from({ length: 200 }, () => halfSentRequest(t.port, '127.0.0.2')));
    onCleanup(() => attack.forEach((a) => a.socket.destroy()));
    let closedCount = 0;
    for (const a of attack) void a.closed.then(() => closedCount++);
    await expect.poll(() => closedCount, { timeout: 2000 }).toBeGreaterThanOrEqual(180); // refused at once
    await stillServed(t); // another address is not affected
    await expect.poll(() => closedCount, { timeout: 5000 }).toBe(200); // the rest: headers timeout
    expect(logged.join('\n')).toMatch(/refused: socket from 127\.0\.0\.2: 20 HTTP sockets open/);
  });

  it('silent WebSockets from one address cannot lock a class behind the same address out', async () => {
    const t = await start({ helloTimeoutMs: 60_000 }); // defaults: 64 per address, 16 without hello
    const attacker = Array.from({ length: 80 }, () => silent(t));
    await Promise.all(attacker.map((c) => c.opened.catch(() => {})));
    await expect.poll(() => t.stats().awaitingHello).toBe(t.limits.maxUnwelcomedPerIp);
    const classroom = [];
    for (let i = 0; i < 40; i++) classroom.push(await connect(t)); // one after another, as students do
    expect(t.stats()).toMatchObject({ clients: 40 + t.limits.maxUnwelcomedPerIp - 1 });
    expect(await attacker[0]!.closed).toEqual({
      code: 1013,
      reason: 'replaced by a newer connection from your address',
    });
    expect(logged.join('\n')).toMatch(/have not said hello closed for a newer one/);
    for (const c of classroom) expect(c.ws.readyState).toBe(c.ws.OPEN);
  });

  it('caps sockets that said hello per address (1013)', async () => {
    const t = await start({ maxConnectionsPerIp: 6, maxUnwelcomedPerIp: 2, helloTimeoutMs: 60_000 });
    const waiting = [silent(t), silent(t)];
    await Promise.all(waiting.map((c) => c.opened));
    for (let i = 0; i < 6; i++) await connect(t);
    const refused = silent(t);
    expect(await refused.closed).toEqual({ code: 1013, reason: 'too many connections from your address' });
    const { clients: open, awaitingHello } = t.stats(); // each newcomer replaced a silent one
    expect(open - awaitingHello).toBe(6);
    expect(awaitingHello).toBeLessThanOrEqual(2);
  });
});

describe('process-wide limits', () => {
  it('over the memory budget, upgrades get HTTP 503 (logged) and /healthz still answers', async () => {
    const t = await start({ memoryBudgetBytes: 1 });
    const c = new TestClient(t.wsUrl);
    onCleanup(() => c.ws.terminate());
    await expect(c.opened).rejects.toThrow(/503/);
    expect(logged.join('\n')).toMatch(/refused: WebSocket from 127\.0\.0\.1: memory \d+ MiB over the budget/);
    expect((await fetch(`${t.httpUrl}/healthz`)).status).toBe(200);
  });

  it('fits maxConnections under the file descriptor limit, with a warning at start', async () => {
    const t = await start({ maxConnectionsPerIp: 1000, maxUnwelcomedPerIp: 1000 }, 200);
    expect(t.server.maxConnections).toBe(200 - 64);
    expect(logged.join('\n')).toMatch(/ulimit -n 200\) allows 72 WebSockets, not the configured 20000/);
    for (let i = 0; i < 72; i++) await connect(t);
    const refused = silent(t);
    expect(await refused.closed).toEqual({ code: 1013, reason: 'tracker full: try again later' });
    // Plain sockets from another address take the remaining descriptors: a warning near the end,
    // then sockets dropped at accept (logged) instead of accept() failing with EMFILE for everyone.
    const more = await Promise.all(Array.from({ length: 80 }, () => halfSentRequest(t.port, '127.0.0.3')));
    onCleanup(() => more.forEach((m) => m.socket.destroy()));
    await expect.poll(() => logged.join('\n')).toMatch(/of 136 sockets are open \(file descriptor limit\)/);
    await expect.poll(() => logged.join('\n')).toMatch(/refused: socket from .*127\.0\.0\.3: 136 sockets open/);
  });
});
