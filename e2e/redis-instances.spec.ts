/**
 * Three tracker instances over one real redis-server (REDIS_URL), as behind a load balancer: the
 * sharer's page loads the app from instance A, the downloaders' from B and C, so every WebRTC
 * handshake between them is relayed across instances through Redis.
 */
import { expect, test } from '@playwright/test';
import { startRedisServer, type RedisServer } from '../signaling/testing/redis-server';
import { makeFile, newApp, savedSha, share, shownSha, waitComplete } from './app';
import { startOwnServer, type OwnServer } from './own-server';

const MiB = 1024 * 1024;
let redis: RedisServer;
let instances: OwnServer[] = [];

test.beforeAll(async () => {
  redis = await startRedisServer();
  instances = await Promise.all([1, 2, 3].map(() => startOwnServer({ REDIS_URL: redis.url })));
});
test.afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop()));
  await redis.stop();
});

test('sharer on instance A, downloaders on B and C: all complete with the right SHA-256', async ({ browser }) => {
  const [a, b, c] = instances as [OwnServer, OwnServer, OwnServer];
  const file = makeFile('across-instances-2mib.bin', 2 * MiB, 31);
  const sharer = await newApp(browser, a.baseURL);
  const link = await share(sharer.page, file, a.baseURL);
  const path = new URL(link).hash;

  const downloaders = await Promise.all([b, b, c].map((instance) => newApp(browser, instance.baseURL)));
  const origins = [b, b, c].map((instance) => instance.baseURL);
  await Promise.all(downloaders.map(({ page }, i) => page.goto(`${origins[i]}/${path}`)));
  for (const { page } of downloaders) await waitComplete(page);
  for (const { page } of downloaders) {
    expect(await shownSha(page)).toBe(file.sha256);
    expect(await savedSha(page)).toBe(file.sha256);
  }
  await Promise.all([sharer, ...downloaders].map((p) => p.context.close()));
});
