/** The projector's watcher connection against a real tracker with the classroom relay. */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { registerClassroom } from '../../../signaling/classroom';
import { swarmId, TestClient } from '../../../signaling/testing/test-client';
import { startTracker, type Tracker } from '../../../signaling/tracker';
import { packBitfield } from '../../protocol/classroom-bitfield';
import { peerStats } from '../../protocol/testing/peer-stats';
import type { ClassroomServerMessage } from '../../protocol/classroom';
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

it('watches a classroom swarm, receives validated stats, and sends controls only the secret makes count', async () => {
  const swarm = swarmId(11);
  const secret = randomBytes(32).toString('hex');
  const sharer = await TestClient.connect(tracker.wsUrl);
  closers.push(() => sharer.ws.terminate());
  await sharer.announce(swarm);
  sharer.send({ type: 'classroom-open', swarm, secretHash: createHash('sha256').update(secret).digest('hex') });
  await sharer.next('classroom-control');

  const got: ClassroomServerMessage[] = [];
  const statuses: string[] = [];
  const problems: string[] = [];
  const client = new WatchClient({
    url: tracker.wsUrl,
    swarm,
    onMessage: (m) => got.push(m),
    onStatus: (s) => statuses.push(s),
    onProblem: (p) => problems.push(p),
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
  });
  closers.push(() => client.close());
  await expect.poll(() => statuses.at(-1)).toBe('live');

  sharer.send({
    type: 'classroom-stats',
    swarm,
    stats: peerStats({ role: 's', n: 3, F: 3e5, h: packBitfield(3, () => true) }),
  });
  await expect.poll(() => got.some((m) => m.type === 'classroom-stats' && m.from === sharer.peerId)).toBe(true);

  const control = { round: 1, mode: 'cs' as const, sharerUp: 1024, peerUp: 0, peerDown: 0, perPeer: {} };
  expect(client.sendControl('0'.repeat(64), control)).toBe(true);
  await expect.poll(() => got.some((m) => m.type === 'classroom-error' && m.code === 'bad-secret')).toBe(true);
  client.sendControl(secret, control);
  expect((await sharer.next('classroom-control')).control).toEqual(control);
  expect(problems).toEqual([]);
});

it('keeps asking while the swarm is not in classroom mode, and goes live once the sharer opens it', async () => {
  const swarm = swarmId(13);
  const statuses: string[] = [];
  const got: ClassroomServerMessage[] = [];
  const client = new WatchClient({
    url: tracker.wsUrl,
    swarm,
    onMessage: (m) => got.push(m),
    onStatus: (s) => statuses.push(s),
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
  });
  closers.push(() => client.close());
  await expect.poll(() => got.some((m) => m.type === 'classroom-error')).toBe(true);
  const sharer = await TestClient.connect(tracker.wsUrl);
  closers.push(() => sharer.ws.terminate());
  await sharer.announce(swarm);
  sharer.send({ type: 'classroom-open', swarm, secretHash: 'e'.repeat(64) });
  await expect.poll(() => statuses.at(-1), { timeout: 8000 }).toBe('live');
});

it('reports a swarm that is not in classroom mode', async () => {
  const got: ClassroomServerMessage[] = [];
  const client = new WatchClient({
    url: tracker.wsUrl,
    swarm: swarmId(12),
    onMessage: (m) => got.push(m),
    onStatus: () => undefined,
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
  });
  closers.push(() => client.close());
  await expect.poll(() => got.find((m) => m.type === 'classroom-error')).toMatchObject({ code: 'not-classroom' });
});
