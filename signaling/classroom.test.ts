/** The classroom relay on a real tracker with real `ws` clients. */
import { beforeEach, describe, expect, it } from 'vitest';
import { parseControlBody } from '../src/protocol/classroom-signing.ts';
import { registerClassroom } from './classroom.ts';
import { Teacher, stats } from './testing/classroom-fixtures.ts';
import { swarmId, useTracker } from './testing/test-client.ts';

const harness = useTracker({ log: () => {} });
const connect = () => harness.connect();
let relay: ReturnType<typeof registerClassroom>;
let clock = 0;
beforeEach(() => {
  // Runs after useTracker's beforeEach (hooks run in the order they were registered).
  clock = 1_000_000;
  relay = registerClassroom(harness.tracker, { statsPerSecond: 2 }, () => clock);
});

const swarm = swarmId(5);
const bodyOf = (m: { [k: string]: unknown }) => parseControlBody(String(m.body));

/** A sharer that opened the room with a first control, a student that joined, and the teacher's projector. */
async function classroom() {
  const teacher = new Teacher(swarm);
  const [sharer, student, projector] = [await connect(), await connect(), await connect()];
  await sharer.announce(swarm);
  await student.announce(swarm);
  sharer.send(teacher.open(sharer));
  expect(await sharer.next('classroom-opened')).toMatchObject({ swarm, key: teacher.key, hasControl: false });
  sharer.send(teacher.control());
  expect(bodyOf(await sharer.next('classroom-control'))?.round).toBe(0);
  student.send(teacher.join());
  expect(bodyOf(await student.next('classroom-control'))?.round).toBe(0);
  projector.send(teacher.watch(projector));
  expect(await projector.next('classroom-members')).toMatchObject({
    swarm,
    sharer: sharer.peerId,
    peers: [student.peerId],
  });
  await projector.next('classroom-control');
  return { teacher, sharer, student, projector };
}

describe('classroom relay', () => {
  it("relays a joined member's stats to the watchers, tagged with the real sender", async () => {
    const { teacher, student, projector } = await classroom();
    student.send({ type: 'classroom-stats', swarm, key: teacher.key, stats: stats() });
    const relayed = await projector.next('classroom-stats');
    expect(relayed.from).toBe(student.peerId);
    expect(relayed.stats).toEqual(stats());
  });

  it('sends a signed control, exactly as signed, to the sharer, every joined member and watcher', async () => {
    const { teacher, sharer, student, projector } = await classroom();
    const control = teacher.control({ round: 1, mode: 'cs', sharerUp: 262144, peerUp: 131072 });
    projector.send(control);
    for (const c of [student, sharer, projector])
      expect(await c.next('classroom-control')).toEqual({
        type: 'classroom-control',
        swarm,
        key: teacher.key,
        body: control.body,
        sig: control.sig,
      });
  });

  it('gives a page that did not join (an ordinary share link) nothing', async () => {
    const { teacher, sharer } = await classroom();
    const bystander = await connect();
    await bystander.announce(swarm);
    sharer.send(teacher.control({ round: 1 }));
    await sharer.next('classroom-control');
    bystander.send({ type: 'barrier' });
    await bystander.next('error');
    expect(bystander.received.filter((m) => m.type.startsWith('classroom-'))).toEqual([]);
  });

  it('a signed closing control goes to everyone, then the room is gone', async () => {
    const { teacher, sharer, student, projector } = await classroom();
    sharer.send(teacher.control({ closed: true }));
    for (const c of [sharer, student, projector]) expect(bodyOf(await c.next('classroom-control'))?.closed).toBe(true);
    expect(relay.isOpen(swarm, teacher.key)).toBe(false);
    student.send({ type: 'classroom-stats', swarm, key: teacher.key, stats: stats() });
    expect(await student.next('classroom-error')).toMatchObject({ code: 'not-classroom' });
  });

  it('refuses stats from a page that did not join, and an open from a non-member of the swarm', async () => {
    const { teacher } = await classroom();
    const [outsider, other] = [await connect(), await connect()];
    await outsider.announce(swarm);
    outsider.send({ type: 'classroom-stats', swarm, key: teacher.key, stats: stats() });
    expect(await outsider.next('classroom-error')).toMatchObject({ code: 'not-member' });
    other.send(new Teacher(swarmId(7)).open(other));
    expect(await other.next('classroom-error')).toMatchObject({ code: 'not-member' });
  });

  it('the sharer after a reload (new connection, same key) is the sharer again and gets the control in force', async () => {
    const { teacher, sharer, projector } = await classroom();
    sharer.send(teacher.control({ round: 3 }));
    await projector.next('classroom-control');
    sharer.ws.terminate();
    const again = await connect();
    await again.announce(swarm);
    again.send(teacher.open(again));
    expect(await again.next('classroom-opened')).toMatchObject({ hasControl: true });
    expect(bodyOf(await again.next('classroom-control'))?.round).toBe(3);
    await expect
      .poll(() => projector.received.some((m) => m.type === 'classroom-members' && m.sharer === again.peerId))
      .toBe(true);
  });

  it('rate-limits stats per member', async () => {
    const { teacher, student, projector } = await classroom();
    for (let i = 0; i < 6; i++)
      student.send({ type: 'classroom-stats', swarm, key: teacher.key, stats: stats({ el: i }) });
    expect(await student.next('classroom-error')).toMatchObject({ code: 'rate-limited' });
    await expect.poll(() => projector.received.filter((m) => m.type === 'classroom-stats').length).toBe(4);
    clock += 1000; // two more tokens
    student.send({ type: 'classroom-stats', swarm, key: teacher.key, stats: stats({ el: 99 }) });
    await expect.poll(() => projector.received.filter((m) => m.type === 'classroom-stats').length).toBe(5);
  });

  it('rejects malformed stats, controls and old-version messages with bad-message; the connection keeps working', async () => {
    const { teacher, student, projector } = await classroom();
    student.send({ type: 'classroom-stats', swarm, key: teacher.key, stats: { ...stats(), h: 'AAAAAAAA' } });
    expect(await student.next('error')).toMatchObject({ code: 'bad-message', ref: 'classroom-stats' });
    projector.send({ ...teacher.control(), body: '{"round":1' });
    expect(await projector.next('classroom-error')).toMatchObject({ code: 'bad-secret' });
    // Version 1 (a secret instead of a signature, no key).
    projector.send({ type: 'classroom-control', swarm, secret: 'a'.repeat(64), control: { round: 1 } });
    expect(await projector.next('error')).toMatchObject({ code: 'bad-message', ref: 'classroom-control' });
    student.send({ type: 'classroom-stats', swarm, key: teacher.key, stats: stats() });
    expect((await projector.next('classroom-stats')).from).toBe(student.peerId);
  });

  it('forgets watchers and members that disconnect, tells the watchers, and drops a room nobody is in', async () => {
    const { teacher, sharer, student, projector } = await classroom();
    await student.close();
    await expect
      .poll(() => projector.received.some((m) => m.type === 'classroom-members' && m.peers.length === 0))
      .toBe(true);
    expect(relay.watchers(swarm, teacher.key)).toBe(1);
    await projector.close();
    await expect.poll(() => relay.watchers(swarm, teacher.key)).toBe(0);
    await sharer.close();
    await expect.poll(() => relay.isOpen(swarm, teacher.key)).toBe(false);
  });
});
