/** The classroom relay on a real tracker with real `ws` clients. */
import { createHash, randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { packBitfield } from '../src/protocol/classroom-bitfield.ts';
import type { PeerStats } from '../src/protocol/classroom.ts';
import { peerStats } from '../src/protocol/testing/peer-stats.ts';
import { registerClassroom } from './classroom.ts';
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
const secret = randomBytes(32).toString('hex');
const secretHash = createHash('sha256').update(secret).digest('hex');
const stats = (over: Partial<PeerStats> = {}): PeerStats =>
  peerStats({ h: packBitfield(4, (i) => i < 2), f: [2], up: 10, dn: 20, el: 1000, ...over });
const control = { round: 1, mode: 'cs', sharerUp: 262144, peerUp: 131072, peerDown: 0, perPeer: {} };

/** A sharer that opened the swarm, a student member, and a projector watching. */
async function classroom() {
  const [sharer, student, projector] = [await connect(), await connect(), await connect()];
  await sharer.announce(swarm);
  await student.announce(swarm);
  sharer.send({ type: 'classroom-open', swarm, secretHash });
  expect((await sharer.next('classroom-control')).control.round).toBe(0);
  expect((await student.next('classroom-control')).control.round).toBe(0);
  projector.send({ type: 'classroom-watch', swarm });
  expect(await projector.next('classroom-members')).toMatchObject({ swarm, sharer: sharer.peerId });
  await projector.next('classroom-control');
  return { sharer, student, projector };
}

describe('classroom relay', () => {
  it("relays a member's stats to the watchers, tagged with the real sender, and hands the member the settings", async () => {
    const { student, projector } = await classroom();
    student.send({ type: 'classroom-stats', swarm, stats: stats() });
    const relayed = await projector.next('classroom-stats');
    expect(relayed.from).toBe(student.peerId);
    expect(relayed.stats).toEqual(stats());
    expect((await projector.next('classroom-members')).peers).toContain(student.peerId);
    expect((await student.next('classroom-control')).control.round).toBe(0);
  });

  it('tells every member of the swarm when the sharer opens it for classroom mode', async () => {
    const [sharer, a, b] = [await connect(), await connect(), await connect()];
    for (const c of [sharer, a, b]) await c.announce(swarmId(8));
    sharer.send({ type: 'classroom-open', swarm: swarmId(8), secretHash });
    for (const c of [sharer, a, b])
      expect(await c.next('classroom-control')).toMatchObject({
        swarm: swarmId(8),
        control: { round: 0, mode: 'p2p' },
      });
  });

  it('sends a control with the right secret to every member and watcher', async () => {
    const { sharer, student, projector } = await classroom();
    projector.send({ type: 'classroom-control', swarm, secret, control });
    expect((await student.next('classroom-control')).control).toEqual(control);
    expect((await sharer.next('classroom-control')).control).toEqual(control);
    expect((await projector.next('classroom-control')).control).toEqual(control);
  });

  it("refuses a control without the sharer's secret (a student's tab), and nothing changes", async () => {
    const { student, projector } = await classroom();
    student.send({ type: 'classroom-control', swarm, secret: 'b'.repeat(64), control });
    expect(await student.next('classroom-error')).toMatchObject({ code: 'bad-secret' });
    projector.send({ type: 'classroom-watch', swarm });
    await projector.next('classroom-members');
    expect((await projector.next('classroom-control')).control.round).toBe(0);
  });

  it('closes classroom mode only with the secret; members and watchers are told, stats stop', async () => {
    const { sharer, student, projector } = await classroom();
    student.send({ type: 'classroom-close', swarm, secret: 'd'.repeat(64) });
    expect(await student.next('classroom-error')).toMatchObject({ code: 'bad-secret' });
    sharer.send({ type: 'classroom-close', swarm, secret });
    for (const c of [sharer, student, projector])
      expect(await c.next('classroom-closed')).toEqual({ type: 'classroom-closed', swarm });
    expect(relay.isOpen(swarm)).toBe(false);
    student.send({ type: 'classroom-stats', swarm, stats: stats() });
    expect(await student.next('classroom-error')).toMatchObject({ code: 'not-classroom' });
  });

  it('does not relay anything for a swarm that is not in classroom mode', async () => {
    const [a, w] = [await connect(), await connect()];
    await a.announce(swarmId(6));
    w.send({ type: 'classroom-watch', swarm: swarmId(6) });
    expect(await w.next('classroom-error')).toMatchObject({ code: 'not-classroom' });
    a.send({ type: 'classroom-stats', swarm: swarmId(6), stats: stats() });
    expect(await a.next('classroom-error')).toMatchObject({ code: 'not-classroom' });
  });

  it('refuses stats from a non-member and an open from a non-member', async () => {
    const { projector } = await classroom();
    projector.send({ type: 'classroom-stats', swarm, stats: stats() });
    expect(await projector.next('classroom-error')).toMatchObject({ code: 'not-member' });
    projector.send({ type: 'classroom-open', swarm: swarmId(7), secretHash });
    expect(await projector.next('classroom-error')).toMatchObject({ code: 'not-member' });
  });

  it('keeps the first secret: another member cannot re-open the swarm with its own', async () => {
    const { student, sharer } = await classroom();
    student.send({ type: 'classroom-open', swarm, secretHash: 'c'.repeat(64) });
    expect(await student.next('classroom-error')).toMatchObject({ code: 'already-open' });
    // The sharer after a reload (new connection, same secret) is accepted.
    sharer.ws.terminate();
    const again = await connect();
    await again.announce(swarm);
    again.send({ type: 'classroom-open', swarm, secretHash });
    expect((await again.next('classroom-control')).swarm).toBe(swarm);
  });

  it('rate-limits stats per member', async () => {
    const { student, projector } = await classroom();
    for (let i = 0; i < 6; i++) student.send({ type: 'classroom-stats', swarm, stats: stats({ el: i }) });
    expect(await student.next('classroom-error')).toMatchObject({ code: 'rate-limited' });
    await expect.poll(() => projector.received.filter((m) => m.type === 'classroom-stats').length).toBe(4);
    clock += 1000; // two more tokens
    student.send({ type: 'classroom-stats', swarm, stats: stats({ el: 99 }) });
    await expect.poll(() => projector.received.filter((m) => m.type === 'classroom-stats').length).toBe(5);
  });

  it('rejects malformed stats and controls with bad-message, and the connection keeps working', async () => {
    const { student, projector } = await classroom();
    student.send({ type: 'classroom-stats', swarm, stats: { ...stats(), h: 'AAAAAAAA' } });
    expect(await student.next('error')).toMatchObject({ code: 'bad-message', ref: 'classroom-stats' });
    projector.send({ type: 'classroom-control', swarm, secret, control: { ...control, mode: 'udp' } });
    expect(await projector.next('error')).toMatchObject({ code: 'bad-message', ref: 'classroom-control' });
    student.send({ type: 'classroom-stats', swarm, stats: stats() });
    expect((await projector.next('classroom-stats')).from).toBe(student.peerId);
  });

  it('forgets watchers and members that disconnect, and tells the watchers', async () => {
    const { student, projector } = await classroom();
    student.send({ type: 'classroom-stats', swarm, stats: stats() });
    await projector.next('classroom-stats');
    await projector.next('classroom-members');
    await student.close();
    expect((await projector.next('classroom-members')).peers).not.toContain(student.peerId);
    expect(relay.watchers(swarm)).toBe(1);
    await projector.close();
    await expect.poll(() => relay.watchers(swarm)).toBe(0);
  });
});
