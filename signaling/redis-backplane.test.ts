/**
 * Several tracker instances over one real redis-server on loopback: membership and peer lists
 * across instances, relays both ways, ids that cannot be spoofed, Redis going away and coming back.
 * (An instance killed with SIGKILL: signaling/redis-instances.test.ts, with real processes.)
 */
import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisBackplane } from './redis-backplane.ts';
import { TAG_LENGTH } from './redis-keys.ts';
import { roundTrip, swarmId, TestClient } from './testing/test-client.ts';
import { useRedisServer, useTrackersOverRedis } from './testing/use-redis-server.ts';
import { startTracker, type Tracker } from './tracker.ts';

const quiet = () => undefined;
const redis = useRedisServer();
const { trackers, clients } = useTrackersOverRedis(redis);

async function instances(n: number, keyPrefix = 'sd:'): Promise<Tracker[]> {
  const started = await Promise.all(
    Array.from({ length: n }, () =>
      startTracker({
        log: quiet,
        backplane: (localMembers) =>
          RedisBackplane.start({ url: redis.url, log: quiet, localMembers, keyPrefix, heartbeatMs: 100 }),
      }),
    ),
  );
  trackers.push(...started);
  return started;
}

/** Alice on one instance and Bob on another, both members of `swarm`. */
async function acrossTwo(swarm: string) {
  const [a, b] = (await instances(2)) as [Tracker, Tracker];
  const alice = await connect(a);
  const bob = await connect(b);
  await alice.announce(swarm);
  await bob.announce(swarm);
  return { alice, bob };
}

async function connect(tracker: Tracker): Promise<TestClient> {
  const c = await TestClient.connect(tracker.wsUrl);
  clients.push(c);
  return c;
}

async function until(check: () => Promise<boolean>, what: string, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('three instances over one Redis', () => {
  it('share one swarm: every peer list is a sample of the whole swarm, across instances', async () => {
    const [a, b, c] = await instances(3);
    const swarm = swarmId(1);
    const members = [await connect(a!), await connect(b!), await connect(c!), await connect(a!), await connect(b!)];
    for (const m of members) await m.announce(swarm);
    const tags = new Set(members.map((m) => m.peerId.slice(0, TAG_LENGTH)));
    expect(tags.size).toBe(3); // each instance stamps its own tag on the ids it assigns
    const asker = await connect(c!);
    const peers = await asker.announce(swarm);
    expect(new Set(peers)).toEqual(new Set(members.map((m) => m.peerId)));
    expect(await asker.announce(swarm, 2)).toHaveLength(2);
    expect(await members[0]!.announce(swarm)).not.toContain(members[0]!.peerId);
  });

  it('relays signals both ways between instances, tagged with the real sender', async () => {
    const swarm = swarmId(2);
    const { alice, bob } = await acrossTwo(swarm);
    alice.send({ type: 'signal', swarm, to: bob.peerId, payload: { sdp: 'offer', n: [1, 2] } });
    expect(await bob.next('signal')).toEqual({
      type: 'signal',
      swarm,
      from: alice.peerId,
      payload: { sdp: 'offer', n: [1, 2] },
    });
    bob.send({ type: 'signal', swarm, to: alice.peerId, payload: { sdp: 'answer' } });
    expect(await alice.next('signal')).toMatchObject({ from: bob.peerId, payload: { sdp: 'answer' } });
  });

  it('relays a burst in order (one PUBLISH per turn), and a payload cannot forge a record of it', async () => {
    const swarm = swarmId(4);
    const { alice, bob } = await acrossTwo(swarm);
    // The separator between records, and a whole forged record after it, inside a payload.
    const forged = `\x1esignal\n${swarm}\n${'ZZZZAAAAAAAAAAAA'}\n${bob.peerId}\n{"evil":1}`;
    for (let n = 0; n < 20; n++) alice.send({ type: 'signal', swarm, to: bob.peerId, payload: { n, forged } });
    for (let n = 0; n < 20; n++)
      expect(await bob.next('signal')).toEqual({ type: 'signal', swarm, from: alice.peerId, payload: { n, forged } });
    await roundTrip(bob);
    expect(bob.received.filter((m) => m.type === 'signal')).toEqual([]);
  });

  it('tells a peer on another instance that a peer it signalled left (peer-gone), and only such a peer', async () => {
    const [a, b] = await instances(2);
    const swarm = swarmId(8);
    const alice = await connect(a!);
    const bob = await connect(b!);
    const carol = await connect(b!);
    for (const c of [alice, bob, carol]) await c.announce(swarm);
    alice.send({ type: 'signal', swarm, to: bob.peerId, payload: { sdp: 'offer' } });
    await bob.next('signal');
    await alice.close();
    expect(await bob.next('peer-gone')).toEqual({ type: 'peer-gone', swarm, peerId: alice.peerId });
    await roundTrip(carol);
    expect(carol.received.filter((m) => m.type === 'peer-gone')).toEqual([]);
  });

  it('relays only to members of the same swarm: an id on another instance outside the swarm gets nothing', async () => {
    const [a, b] = await instances(2);
    const alice = await connect(a!);
    const outsider = await connect(b!);
    await alice.announce(swarmId(3));
    await outsider.announce(swarmId(4));
    alice.send({ type: 'signal', swarm: swarmId(3), to: outsider.peerId, payload: { x: 1 } });
    // A made-up id on a tag no instance holds: refused at once.
    alice.send({ type: 'signal', swarm: swarmId(3), to: 'ZZZZAAAAAAAAAAAA', payload: {} });
    expect(await alice.next('error')).toMatchObject({ code: 'unknown-peer' });
    await roundTrip(outsider);
    await new Promise((r) => setTimeout(r, 200));
    expect(outsider.received.filter((m) => m.type === 'signal')).toEqual([]);
  });

  it('forgets a member that left or disconnected, and the swarm key with the last one', async () => {
    const swarm = swarmId(5);
    const { alice, bob } = await acrossTwo(swarm);
    alice.send({ type: 'leave', swarm });
    await roundTrip(alice);
    await until(async () => (await bob.announce(swarm)).length === 0, 'alice gone from the list');
    await bob.close();
    const admin = new Redis(redis.url);
    await until(async () => (await admin.exists(`sd:swarm:${swarm}`)) === 0, 'the swarm key to go');
    admin.disconnect();
  });

  it('keeps deployments apart by key prefix', async () => {
    const [a] = await instances(1, 'one:');
    const [b] = await instances(1, 'two:');
    const swarm = swarmId(6);
    const alice = await connect(a!);
    const bob = await connect(b!);
    await alice.announce(swarm);
    expect(await bob.announce(swarm)).toEqual([]);
  });
});

describe('Redis going away', () => {
  it('refuses new connections with a clear reason, never crashes, and recovers with its members', async () => {
    const [a, b] = await instances(2);
    const swarm = swarmId(7);
    const alice = await connect(a!);
    await alice.announce(swarm);

    await redis.kill();
    await until(async () => (await fetch(`${b!.httpUrl}/healthz`)).status === 503, 'healthz to say 503');
    const refused = new TestClient(b!.wsUrl);
    clients.push(refused);
    expect(await refused.closed).toEqual({ code: 1013, reason: 'tracker storage unavailable: try again later' });
    // Peers already connected keep their sessions; an announce falls back to this instance's members.
    expect(await alice.announce(swarm)).toEqual([]);

    await redis.restart(); // empty: the instances must write their membership again
    await until(async () => (await fetch(`${b!.httpUrl}/healthz`)).status === 200, 'healthz to say 200');
    const bob = await connect(b!);
    await until(async () => (await bob.announce(swarm)).includes(alice.peerId), "alice's membership rewritten");
    alice.send({ type: 'signal', swarm, to: bob.peerId, payload: { after: 'restart' } });
    expect(await bob.next('signal')).toMatchObject({ from: alice.peerId });
  }, 30_000);
});
