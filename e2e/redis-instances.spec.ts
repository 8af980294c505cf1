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

test('classroom across instances: teacher on A, students on B and C, a projector view on C', async ({ browser }) => {
  test.setTimeout(180_000);
  const [a, b, c] = instances as [OwnServer, OwnServer, OwnServer];
  const file = makeFile('classroom-across-instances.bin', 512 * 1024, 32);
  const teacher = await newApp(browser, a.baseURL);
  await share(teacher.page, file, a.baseURL);
  await teacher.page.getByTestId('classroom-toggle').check();
  const href = (await teacher.page.getByTestId('projector-link').getAttribute('href'))!;
  const projectorPath = new URL(href, `${a.baseURL}/`).hash;
  const projector = await teacher.context.newPage();
  await projector.goto(`${a.baseURL}/${projectorPath}`);
  const joinHref = (await projector.getByTestId('join-link').getAttribute('href'))!;
  const joinPath = new URL(joinHref, `${a.baseURL}/`).hash;

  // The room lives on A; the students' pages and one more projector view talk to B and C.
  const students = await Promise.all([b, c].map((instance) => newApp(browser, instance.baseURL)));
  await Promise.all(students.map(({ page }, i) => page.goto(`${[b, c][i]!.baseURL}/${joinPath}`)));
  for (const { page } of students) await waitComplete(page);
  const view = await newApp(browser, c.baseURL);
  await view.page.goto(`${c.baseURL}/${projectorPath}`);
  for (const wall of [projector, view.page]) {
    await expect(wall.locator('[data-testid=swarm-graph] [data-peer-id]')).toHaveCount(3); // stats from every instance
    await expect(wall.locator('[data-chunk-map]')).toHaveCount(3);
  }
  await expect(view.page.getByTestId('controls-readonly')).toBeVisible();

  // The teacher's control (signed on A) reaches the students on B and C: a new round asks them.
  await projector.getByTestId('cap-sharer-up').fill('1024');
  await projector.getByTestId('cap-peer-up').fill('512');
  await projector.getByTestId('cap-peer-down').fill('0');
  await projector.getByTestId('mode-cs').check();
  await projector.getByTestId('new-round').click();
  for (const { page } of students) await expect(page.getByTestId('round-download-again')).toBeVisible();
  await Promise.all([teacher, view, ...students].map((p) => p.context.close()));
});
