/**
 * The owner cache of classroom rooms across instances (signaling/owner-cache.ts), over a real
 * redis-server on loopback: a busy room costs no Redis lookup per message, and a stale entry never
 * swallows a message: not when the owner dies, not when the room moves to another instance.
 */
import { describe, expect, it } from 'vitest';
import { connect as tcpConnect } from 'node:net';
import { parseControlBody } from '../src/protocol/classroom-signing.ts';
import type { ClassroomLimits } from './classroom.ts';
import { Teacher, stats, untilRoomGone } from './testing/classroom-fixtures.ts';
import { roundTrip, swarmId } from './testing/test-client.ts';
import { useClassroomInstances } from './testing/classroom-instances.ts';
import { useRedisServer } from './testing/use-redis-server.ts';

const redis = useRedisServer();
const { instances, connect } = useClassroomInstances(redis, 600);
/** Longer than any test: an entry lapses here only by the owner's liveness or an invalidation. */
const LONG_CACHE: Partial<ClassroomLimits> = { ownerCacheMs: 60_000 };

const swarm = swarmId(19);
const round = (m: { [k: string]: unknown }) => parseControlBody(String(m.body))!.round;

/** The room opened on A; a student on B joined (its lookup fills B's cache with A). */
async function roomOnA(limits: Partial<ClassroomLimits>) {
  const [a, b, c] = await instances(3, limits);
  const teacher = new Teacher(swarm);
  const sharer = await connect(a!);
  await sharer.announce(swarm);
  sharer.send(teacher.open(sharer));
  await sharer.next('classroom-opened');
  sharer.send(teacher.watch(sharer));
  await sharer.next('classroom-members');
  const onB = await connect(b!);
  await onB.announce(swarm);
  onB.send(teacher.join());
  await sharer.next('classroom-members'); // the owner has the student
  return { a: a!, b: b!, c: c!, teacher, sharer, onB };
}

/**
 * Counts the owner lookups Redis runs (the OWNER_OF script: the only EVAL without a SET), read
 * from MONITOR on a plain socket (ioredis's monitor mode trips over replies in flight).
 */
async function countLookups(): Promise<{ count: () => number; stop: () => void }> {
  const socket = tcpConnect({ host: '127.0.0.1', port: redis.port });
  await new Promise((resolve) => socket.once('connect', resolve));
  let lookups = 0;
  let pending = '';
  socket.on('data', (chunk) => {
    const lines = (pending + chunk.toString('latin1')).split('\r\n');
    pending = lines.pop()!;
    for (const line of lines) if (line.includes('] "eval" ') && !line.includes("'SET'")) lookups++;
  });
  socket.write('MONITOR\r\n');
  await new Promise((resolve) => socket.once('data', resolve)); // +OK: monitoring from here on
  return { count: () => lookups, stop: () => socket.destroy() };
}

describe('the owner cache of classroom rooms', () => {
  it('a student on a non-owner instance sends 20 messages without a lookup once the owner is known', async () => {
    const { teacher, sharer, onB } = await roomOnA({ ...LONG_CACHE, statsPerSecond: 100 });
    const lookups = await countLookups();
    try {
      for (let i = 0; i < 20; i++) onB.send({ type: 'classroom-stats', swarm, key: teacher.key, stats: stats() });
      for (let i = 0; i < 20; i++) expect(await sharer.next('classroom-stats')).toMatchObject({ from: onB.peerId });
      await roundTrip(onB);
      expect(lookups.count()).toBe(0); // the join filled the cache; without it, 20 lookups
    } finally {
      lookups.stop();
    }
  });

  it('with the cache off every message is looked up (what the cache saves)', async () => {
    const { teacher, sharer, onB } = await roomOnA({ ownerCacheMs: 0, statsPerSecond: 100 });
    const lookups = await countLookups();
    try {
      for (let i = 0; i < 5; i++) onB.send({ type: 'classroom-stats', swarm, key: teacher.key, stats: stats() });
      for (let i = 0; i < 5; i++) await sharer.next('classroom-stats');
      expect(lookups.count()).toBe(5);
    } finally {
      lookups.stop();
    }
  });

  it('a dead owner is not served from the cache once Redis stops naming it', async () => {
    const { a, teacher, sharer, onB } = await roomOnA(LONG_CACHE);
    a.backplane.halt(); // as a SIGKILL
    sharer.ws.terminate();
    await untilRoomGone(onB, teacher); // as without a cache
  });

  it('a room closed on its owner and opened on another instance: stale entries cost a hop, never a message', async () => {
    const { a, b, c, teacher, sharer, onB } = await roomOnA(LONG_CACHE);
    sharer.send(teacher.control({ closed: true }));
    expect(parseControlBody(String((await onB.next('classroom-control')).body))).toMatchObject({ closed: true });
    expect(a.rooms.size()).toBe(0);
    const again = await connect(c);
    await again.announce(swarm);
    again.send(teacher.open(again));
    await again.next('classroom-opened');
    again.send(teacher.control({ round: 5 }));
    await again.next('classroom-control');
    expect(c.rooms.size()).toBe(1);
    // B still names A for this room (fresh for a minute): the join goes there, A passes it on.
    onB.send(teacher.join());
    expect(round(await onB.next('classroom-control'))).toBe(5);
    // A plain view from B the same way; when it disconnects, the room on C lets it go (B learnt the new owner).
    const view = await connect(b);
    view.send({ type: 'classroom-watch', swarm, key: teacher.key });
    await view.next('classroom-members');
    expect(c.rooms.watchers(swarm, teacher.key)).toBe(1);
    view.ws.terminate();
    await expect.poll(() => c.rooms.watchers(swarm, teacher.key)).toBe(0);
    onB.send({ type: 'classroom-stats', swarm, key: teacher.key, stats: stats() });
    again.send(teacher.watch(again));
    await again.next('classroom-members');
    onB.send({ type: 'classroom-stats', swarm, key: teacher.key, stats: stats() });
    expect(await again.next('classroom-stats')).toMatchObject({ from: onB.peerId });
  });
});
