/** The registration interface for extra message types (what signaling/classroom.ts builds on). */
import { expect, it } from 'vitest';
import { z } from 'zod';
import { startTracker } from './tracker.ts';
import { swarmId, TestClient, useTracker } from './testing/test-client.ts';

const harness = useTracker({ log: () => {} });
const connect = () => harness.connect();

const pokeSchema = z.object({ type: z.literal('poke'), swarm: z.string(), to: z.string() });

it('a registered type is validated, sees the real sender and the registry, and can send to peers', async () => {
  harness.tracker.registerHandler('poke', pokeSchema, (msg, ctx) => {
    if (!ctx.swarms.has(msg.swarm)) return ctx.error('poke-denied', 'announce first');
    if (!ctx.registry.has(msg.swarm, msg.to)) return ctx.error('poke-denied', 'not a member');
    ctx.sendTo(msg.to, { type: 'poked', by: ctx.peerId });
    ctx.reply({ type: 'poke-ok' });
  });
  const [a, b] = [await connect(), await connect()];
  a.send({ type: 'poke', swarm: swarmId(1), to: b.peerId });
  expect(await a.next('error')).toEqual({ type: 'error', code: 'poke-denied', message: 'announce first', ref: 'poke' });
  await a.announce(swarmId(1));
  await b.announce(swarmId(1));
  a.send({ type: 'poke', swarm: swarmId(1), to: b.peerId, by: 'spoofed' });
  expect(await b.next('poked')).toEqual({ type: 'poked', by: a.peerId });
  await a.next('poke-ok');
  a.send({ type: 'poke', swarm: 5 });
  expect(await a.next('error')).toMatchObject({ code: 'bad-message', ref: 'poke' });
});

it('a registered type still needs hello first', async () => {
  harness.tracker.registerHandler('poke', pokeSchema, () => {});
  const c = harness.open();
  await c.opened;
  c.send({ type: 'poke', swarm: 'x', to: 'y' });
  expect(await c.next('error')).toMatchObject({ code: 'not-hello' });
});

it('a throwing handler becomes an internal error and the connection keeps working', async () => {
  harness.tracker.registerHandler('boom', z.object({ type: z.literal('boom') }), () => {
    throw new Error('bug');
  });
  const c = await connect();
  c.send({ type: 'boom' });
  expect(await c.next('error')).toMatchObject({ code: 'internal', ref: 'boom' });
  expect(await c.announce(swarmId(2))).toEqual([]);
});

it('refuses to replace core or already registered types', () => {
  expect(() => harness.tracker.registerHandler('signal', pokeSchema, () => {})).toThrow(/core/);
  harness.tracker.registerHandler('poke', pokeSchema, () => {});
  expect(() => harness.tracker.registerHandler('poke', pokeSchema, () => {})).toThrow(/already/);
});

it('onDisconnect runs after the peer left its swarms; unsubscribe stops it', async () => {
  const gone: [string, number][] = [];
  const off = harness.tracker.onDisconnect((peer) => gone.push([peer, harness.tracker.registry.size(swarmId(3))]));
  const [a, b] = [await connect(), await connect()];
  await a.announce(swarmId(3));
  await b.announce(swarmId(3));
  await a.close();
  await expect.poll(() => gone).toEqual([[a.peerId, 1]]);
  off();
  await b.close();
  await expect.poll(() => harness.tracker.stats().clients).toBe(0);
  expect(gone).toHaveLength(1);
  expect(harness.tracker.sendTo(b.peerId, { type: 'x' })).toBe(false);
});

it('onSwarmChange reports joins and leaves, including those caused by a disconnect', async () => {
  const changes: string[] = [];
  harness.tracker.onSwarmChange((c) => changes.push(`${c.kind} ${c.swarm === swarmId(4) ? 's4' : '?'} ${c.peerId}`));
  const [a, b] = [await connect(), await connect()];
  await a.announce(swarmId(4));
  await a.announce(swarmId(4)); // a re-announce is not a join
  await b.announce(swarmId(4));
  b.send({ type: 'leave', swarm: swarmId(4) });
  await a.close();
  await expect
    .poll(() => changes)
    .toEqual([`join s4 ${a.peerId}`, `join s4 ${b.peerId}`, `leave s4 ${b.peerId}`, `leave s4 ${a.peerId}`]);
});

it('a per-type size cap answers too-large', async () => {
  harness.tracker.registerHandler(
    'stats',
    z.object({ type: z.literal('stats'), blob: z.string() }),
    (_m, ctx) => ctx.reply({ type: 'stats-ok' }),
    { maxBytes: 200 },
  );
  const c = await connect();
  c.send({ type: 'stats', blob: 'x'.repeat(100) });
  await c.next('stats-ok');
  c.send({ type: 'stats', blob: 'x'.repeat(300) });
  expect(await c.next('error')).toMatchObject({ code: 'too-large', ref: 'stats' });
});

it('plugins passed to startTracker are installed before it listens', async () => {
  const t = await startTracker({
    log: () => {},
    plugins: [
      (host) =>
        host.registerHandler('ping-ext', z.object({ type: z.literal('ping-ext') }), (_m, ctx) =>
          ctx.reply({ type: 'pong-ext', you: ctx.peerId }),
        ),
    ],
  });
  try {
    const c = await TestClient.connect(t.wsUrl);
    c.send({ type: 'ping-ext' });
    expect(await c.next('pong-ext')).toEqual({ type: 'pong-ext', you: c.peerId });
    await c.close();
  } finally {
    await t.close();
  }
});
