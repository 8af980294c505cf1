import { expect, test } from '@playwright/test';
import { makeFile, neighborStats, newApp, savedSha, share, shownSha, waitComplete } from './app';

const MiB = 1024 * 1024;

test('1: one sharer, four downloaders, 8 MiB: all complete and every SHA-256 matches', async ({ browser, baseURL }) => {
  const file = makeFile('random-8mib.bin', 8 * MiB, 11);
  const sharer = await newApp(browser, baseURL!);
  const link = await share(sharer.page, file);
  expect(link).toMatch(/\/#\/s\/[A-Za-z0-9_-]{43}$/);

  const downloaders = await Promise.all([1, 2, 3, 4].map(() => newApp(browser, baseURL!)));
  await Promise.all(downloaders.map(({ page }) => page.goto(link)));
  // Names and size appear once the metadata is verified.
  await expect(downloaders[0]!.page.getByTestId('share-name')).toHaveText(file.name);
  for (const { page } of downloaders) await waitComplete(page);
  for (const { page } of downloaders) {
    expect(await shownSha(page)).toBe(file.sha256);
    expect(await savedSha(page)).toBe(file.sha256); // the bytes that reach the disk
  }
  await Promise.all([sharer, ...downloaders].map((p) => p.context.close()));
});

test('2: capped sharer: downloaders get most bytes from each other and finish far sooner than the sharer alone could', async ({
  browser,
  baseURL,
}) => {
  const size = 8 * MiB;
  const cap = 256 * 1024; // bytes per second
  const n = 4;
  const file = makeFile('capped-8mib.bin', size, 22);
  const sharer = await newApp(browser, baseURL!, { uploadLimit: cap });
  const link = await share(sharer.page, file);

  const downloaders = await Promise.all(Array.from({ length: n }, () => newApp(browser, baseURL!)));
  const started = Date.now();
  await Promise.all(downloaders.map(({ page }) => page.goto(link)));
  for (const { page } of downloaders) await waitComplete(page, 170_000);
  const elapsedS = (Date.now() - started) / 1000;

  let fromSharer = 0;
  let fromOthers = 0;
  for (const { page } of downloaders) {
    expect(await shownSha(page)).toBe(file.sha256);
    for (const row of await neighborStats(page)) {
      if (row.origin) fromSharer += row.downloaded;
      else fromOthers += row.downloaded;
    }
  }
  // The sharer alone needs n * size / cap seconds at least (128 s here).
  const sharerAloneS = (n * size) / cap;
  console.log(
    `test 2: ${elapsedS.toFixed(1)} s (sharer alone >= ${sharerAloneS} s); from sharer ${fromSharer}, from each other ${fromOthers}`,
  );
  expect(fromOthers).toBeGreaterThan(fromSharer);
  expect(fromSharer + fromOthers).toBeGreaterThanOrEqual(n * size);
  expect(elapsedS).toBeLessThan(sharerAloneS * 0.75);
  await Promise.all([sharer, ...downloaders].map((p) => p.context.close()));
});
