/**
 * Real tracker processes (`signaling/main.ts` with REDIS_URL) over a real redis-server: an instance
 * killed with SIGKILL says nothing, yet its peers leave every swarm within the bound, and an
 * instance started again in its place joins cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { swarmId, TestClient } from './testing/test-client.ts';
import { freePort } from './testing/redis-server.ts';
import { useRedisServer } from './testing/use-redis-server.ts';

/** The documented bound (docs/TRACKER.md): dead after 10 s without a heartbeat, heartbeats every 2 s. */
const GONE_WITHIN_MS = 30_000;

const redis = useRedisServer();
const children: ChildProcess[] = [];
const clients: TestClient[] = [];

afterAll(() => {
  for (const c of clients) c.ws.terminate();
  for (const child of children) child.kill('SIGKILL');
});

async function instance(port: number): Promise<{ child: ChildProcess; wsUrl: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'signaling/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redis.url },
    stdio: 'ignore',
  });
  children.push(child);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`instance on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, wsUrl: `ws://127.0.0.1:${port}/tracker` };
}

async function connect(wsUrl: string): Promise<TestClient> {
  const c = await TestClient.connect(wsUrl);
  clients.push(c);
  return c;
}

it('a SIGKILLed instance leaves every swarm within the bound; one started in its place rejoins', async () => {
  const portA = await freePort();
  const a = await instance(portA);
  const b = await instance(await freePort());
  const swarm = swarmId(1);
  const onA = await connect(a.wsUrl);
  const onB = await connect(b.wsUrl);
  await onA.announce(swarm);
  expect(await onB.announce(swarm)).toEqual([onA.peerId]);

  a.child.kill('SIGKILL');
  const killedAt = Date.now();
  while ((await onB.announce(swarm)).includes(onA.peerId)) {
    expect(Date.now() - killedAt).toBeLessThan(GONE_WITHIN_MS);
    await new Promise((r) => setTimeout(r, 250));
  }
  // Swept from Redis too, not only filtered out: the dead instance's ids are gone from the swarm key.
  const admin = new Redis(redis.url);
  const tagA = onA.peerId.slice(0, 4);
  for (;;) {
    const left = (await admin.zrange(`sd:swarm:${swarm}`, 0, -1)).filter((p) => p.startsWith(tagA));
    if (left.length === 0) break;
    expect(Date.now() - killedAt).toBeLessThan(GONE_WITHIN_MS);
    await new Promise((r) => setTimeout(r, 250));
  }
  admin.disconnect();

  const again = await instance(portA);
  const fresh = await connect(again.wsUrl);
  expect(await fresh.announce(swarm)).toEqual([onB.peerId]);
  fresh.send({ type: 'signal', swarm, to: onB.peerId, payload: { hi: 1 } });
  expect(await onB.next('signal')).toMatchObject({ from: fresh.peerId });
}, 60_000);
