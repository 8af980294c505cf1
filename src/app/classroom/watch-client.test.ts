/** The projector's watcher connection against a real tracker with the classroom relay. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { registerClassroom } from '../../../signaling/classroom';
import { DEFAULT_CONTROL, openRoom, Teacher, stats } from '../../../signaling/testing/classroom-fixtures';
import { swarmId, TestClient } from '../../../signaling/testing/test-client';
import { startTracker, type Tracker } from '../../../signaling/tracker';
import { newClassroomSecret, signControl } from '../../protocol/classroom-signing';
import type { ProjectorEvent } from './store';
import { WatchClient, type SocketLike } from './watch-client';

let tracker: Tracker;
const closers: Array<() => void> = [];
beforeEach(async () => {
  tracker = await startTracker({ log: () => {} });
  registerClassroom(tracker);
});
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await tracker.close();
});

async function teacherRoom(swarm: string) {
  const teacher = new Teacher(swarm);
  const sharer = await TestClient.connect(tracker.wsUrl);
  closers.push(() => sharer.ws.terminate());
  await openRoom(sharer, teacher);
  return { teacher, sharer };
}

function watch(swarm: string, roomKey: string, secret: string | null = null) {
  const got: ProjectorEvent[] = [];
  const statuses: string[] = [];
  const problems: string[] = [];
  const client = new WatchClient({
    url: tracker.wsUrl,
    swarm,
    roomKey,
    secret,
    onMessage: (m) => got.push(m),
    onStatus: (s) => statuses.push(s),
    onProblem: (p) => problems.push(p),
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
  });
  closers.push(() => client.close());
  return { client, got, statuses, problems };
}

it("watches a room, receives validated stats, and signs controls with the teacher's secret key", async () => {
  const swarm = swarmId(11);
  const { teacher, sharer } = await teacherRoom(swarm);
  const w = watch(swarm, teacher.key, teacher.secret);
  await expect.poll(() => w.statuses.at(-1)).toBe('live');
  sharer.send({ type: 'classroom-stats', swarm, key: teacher.key, stats: stats({ role: 's' }) });
  await expect.poll(() => w.got.some((m) => m.type === 'classroom-stats' && m.from === sharer.peerId)).toBe(true);

  const control = { round: 1, mode: 'cs' as const, sharerUp: 16384, peerUp: 0, peerDown: 0, perPeer: {} };
  expect(w.client.sendControl(control)).toBe(true);
  await expect
    .poll(() => w.got.find((m) => m.type === 'classroom-control' && m.control.round === 1))
    .toEqual({
      type: 'classroom-control',
      control,
    });
  expect(w.problems).toEqual([]);
});

it('a projector without the secret key cannot send controls, and one signed by another key never reaches the store', async () => {
  const swarm = swarmId(14);
  const { teacher, sharer } = await teacherRoom(swarm);
  const w = watch(swarm, teacher.key);
  await expect.poll(() => w.statuses.at(-1)).toBe('live');
  expect(w.client.sendControl({ ...DEFAULT_CONTROL, round: 2, mode: 'cs' })).toBe(false);
  // A tracker (or anyone on the path) relaying a control of another key: checked here, ignored.
  const forged = signControl(newClassroomSecret(), swarm, { ...DEFAULT_CONTROL, round: 9, mode: 'cs', seq: 1e15 });
  const wsAny = (w.client as unknown as { onText(t: string): void }).onText.bind(w.client);
  wsAny(JSON.stringify({ type: 'classroom-control', swarm, key: teacher.key, ...forged }));
  expect(w.problems.at(-1)).toMatch(/not signed with the room key/);
  expect(
    w.got.filter((m) => m.type === 'classroom-control').map((m) => m.type === 'classroom-control' && m.control.round),
  ).toEqual([0]);
  void sharer;
});

it('keeps asking while the room does not exist, and goes live once the sharer opens it', async () => {
  const swarm = swarmId(13);
  const teacher = new Teacher(swarm);
  const w = watch(swarm, teacher.key);
  await expect.poll(() => w.got.find((m) => m.type === 'classroom-error')).toMatchObject({ code: 'not-classroom' });
  const sharer = await TestClient.connect(tracker.wsUrl);
  closers.push(() => sharer.ws.terminate());
  await sharer.announce(swarm);
  sharer.send(teacher.open(sharer));
  await expect.poll(() => w.statuses.at(-1), { timeout: 8000 }).toBe('live');
});
