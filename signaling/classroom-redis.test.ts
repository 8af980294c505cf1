/**
 * Classroom rooms across three tracker instances over one real redis-server on loopback: the
 * teacher on A, students on B and C, the projector on C share one room (owned by A), its signed
 * controls fan out to every instance in seq order, its limits hold whichever instance a peer is
 * on, and a dead instance's peers leave the room (or, when the owner dies, the room goes and the
 * teacher opens it again elsewhere).
 */
import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { parseControlBody } from '../src/protocol/classroom-signing.ts';
import type { ClassroomLimits } from './classroom.ts';
import { Teacher, stats, untilRoomGone } from './testing/classroom-fixtures.ts';
import { roundTrip, swarmId } from './testing/test-client.ts';
import { useClassroomInstances } from './testing/classroom-instances.ts';
import { useRedisServer } from './testing/use-redis-server.ts';

const DEAD_AFTER_MS = 600;
const redis = useRedisServer();
const { instances, connect } = useClassroomInstances(redis, DEAD_AFTER_MS);

const swarm = swarmId(18);
const seqOf = (m: { [k: string]: unknown }) => parseControlBody(String(m.body))!.seq;

/** The teacher opens the room on A, students join on B and C, the projector (the teacher's watch) on C. */
async function classroom(limits: Partial<ClassroomLimits> = {}) {
  const [a, b, c] = await instances(3, limits);
  const teacher = new Teacher(swarm);
  const sharer = await connect(a!);
  await sharer.announce(swarm);
  sharer.send(teacher.open(sharer));
  expect(await sharer.next('classroom-opened')).toMatchObject({ hasControl: false });
  const onB = await connect(b!);
  const onC = await connect(c!);
  for (const s of [onB, onC]) {
    await s.announce(swarm);
    s.send(teacher.join());
    await roundTrip(s); // joined (no control yet, so no answer): a round trip through the owner
  }
  const projector = await connect(c!);
  projector.send(teacher.watch(projector));
  await projector.next('classroom-members');
  return { a: a!, b: b!, c: c!, teacher, sharer, onB, onC, projector };
}

describe('one classroom across three instances', () => {
  it('the room lives on the instance it was opened on; controls and stats reach every instance', async () => {
    const { a, b, c, teacher, sharer, onB, onC, projector } = await classroom();
    expect([a.rooms.size(), b.rooms.size(), c.rooms.size()]).toEqual([1, 0, 0]);
    const admin = new Redis(redis.url);
    expect(await admin.get(`sd:owner:classroom:${swarm}:${teacher.key}`)).toBe(sharer.peerId.slice(0, 4));
    admin.disconnect();
    expect(a.rooms.watchers(swarm, teacher.key)).toBe(1);

    sharer.send(teacher.control({ round: 1, mode: 'cs' }));
    for (const peer of [sharer, onB, onC, projector]) {
      const control = await peer.next('classroom-control');
      expect(parseControlBody(String(control.body))).toMatchObject({ round: 1, mode: 'cs', seq: 1 });
    }
    onB.send({ type: 'classroom-stats', swarm, key: teacher.key, stats: stats() });
    expect(await projector.next('classroom-stats')).toMatchObject({ from: onB.peerId, swarm });
    // The projector's member list names the peers on B and C and the sharer on A.
    sharer.send(teacher.watch(sharer));
    const members = await sharer.next('classroom-members');
    expect(new Set(members.peers)).toEqual(new Set([onB.peerId, onC.peerId]));
    expect(members.sharer).toBe(sharer.peerId);
    // A student joining later on C gets the control in force at once.
    const late = await connect(c);
    await late.announce(swarm);
    late.send(teacher.join());
    expect(seqOf(await late.next('classroom-control'))).toBe(1);
  });

  it('keeps seq order across instances: a replayed or older signed control from any instance is refused', async () => {
    const { b, c, teacher, sharer, onB, onC } = await classroom();
    const first = teacher.control({ round: 1 });
    const second = teacher.control({ round: 2 });
    const third = teacher.control({ round: 3 });
    sharer.send(third);
    for (const s of [onB, onC]) expect(seqOf(await s.next('classroom-control'))).toBe(3);
    onB.send(first); // a student replays an older control the teacher really signed
    expect(await onB.next('classroom-error')).toMatchObject({ code: 'bad-message' });
    onC.send(second);
    expect(await onC.next('classroom-error')).toMatchObject({ code: 'bad-message' });
    // The teacher's page reloaded onto instance B: its open reaches the room on A, with the control in force.
    const reloaded = await connect(b);
    await reloaded.announce(swarm);
    reloaded.send(teacher.open(reloaded));
    expect(await reloaded.next('classroom-opened')).toMatchObject({ hasControl: true });
    expect(seqOf(await reloaded.next('classroom-control'))).toBe(3);
    reloaded.send(teacher.control({ round: 4 }));
    expect(seqOf(await onC.next('classroom-control'))).toBe(4);
    await roundTrip(onC);
    expect(onC.received.filter((m) => m.type === 'classroom-control')).toEqual([]); // 3 then 4, nothing else
    expect(c.rooms.size() + b.rooms.size()).toBe(0);
  });

  it('holds the room limits whichever instance a peer is on: projector slots, the control rate', async () => {
    // Signature checks per connection raised: the burst below aims at the room's control rate.
    const { a, b, teacher, sharer, onC } = await classroom({
      maxWatchers: 2,
      maxWatchersPerAddress: 2,
      signaturesPerSecond: 1000,
    });
    // The projector on C holds the teacher's slot; two plain views from A and B fill the others.
    const views = [await connect(a), await connect(b)];
    for (const v of views) {
      v.send({ type: 'classroom-watch', swarm, key: teacher.key });
      await v.next('classroom-members');
    }
    const third = await connect(b);
    third.send({ type: 'classroom-watch', swarm, key: teacher.key });
    expect(await third.next('classroom-error')).toMatchObject({ code: 'rate-limited' });
    expect(a.rooms.watchers(swarm, teacher.key)).toBe(3);

    // A burst of 40 controls from the teacher's connection: coalesced on the owner, the latest last.
    for (let i = 0; i < 40; i++) sharer.send(teacher.control({ round: i }));
    let last = 0;
    while (last < 40) last = seqOf(await onC.next('classroom-control', 5000));
    await roundTrip(onC);
    const extra = onC.received.filter((m) => m.type === 'classroom-control');
    expect(extra).toEqual([]);
    expect(a.rooms.fannedOut()).toBeLessThan(5 * 10); // 4 at once plus the coalesced latest, to ~9 peers
  });
});

describe('instances that die', () => {
  it("a dead instance's members and projector leave the room; the others stay", async () => {
    const { a, c, teacher, sharer, onB, onC, projector } = await classroom();
    sharer.send(teacher.watch(sharer));
    await sharer.next('classroom-members');
    c.backplane.halt(); // as a SIGKILL: no word to anyone
    onC.ws.terminate();
    projector.ws.terminate();
    let members = await sharer.next('classroom-members', 5000);
    while (members.peers.includes(onC.peerId)) members = await sharer.next('classroom-members', 5000);
    expect(members.peers).toEqual([onB.peerId]);
    expect(a.rooms.watchers(swarm, teacher.key)).toBe(1); // the sharer's own view; C's projector is gone
    sharer.send(teacher.control({ round: 7 }));
    expect(seqOf(await onB.next('classroom-control'))).toBe(1);
  });

  it('when the owner dies the room goes; the teacher opens it again on another instance and students rejoin', async () => {
    const { a, b, c, teacher, sharer, onB } = await classroom();
    a.backplane.halt();
    sharer.ws.terminate();
    await untilRoomGone(onB, teacher);
    const again = await connect(b);
    await again.announce(swarm);
    again.send(teacher.open(again));
    expect(await again.next('classroom-opened')).toMatchObject({ hasControl: false });
    expect(b.rooms.size()).toBe(1);
    again.send(teacher.control({ round: 2 }));
    const onC = await connect(c);
    await onC.announce(swarm);
    onC.send(teacher.join());
    expect(parseControlBody(String((await onC.next('classroom-control')).body))).toMatchObject({ round: 2 });
  });
});
