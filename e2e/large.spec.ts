import { expect, test } from '@playwright/test';
import { makeFile, newApp, share, shownSha, waitComplete } from './app';
import { heapSampler } from './heap';

const MiB = 1024 * 1024;

test('8: a 200 MiB file completes and the downloading tab keeps its JS heap under 150 MiB', async ({ browser, baseURL }) => {
  test.setTimeout(600_000);
  const file = makeFile('large-200mib.bin', 200 * MiB, 88);
  const sharer = await newApp(browser, baseURL!);
  const link = await share(sharer.page, file);
  const { context, page } = await newApp(browser, baseURL!);
  await page.goto('/');
  const heap = await heapSampler(browser, page);
  let peakPage = 0;
  let peakWorkers = 0;
  let peakTotal = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const s = await heap.sample();
      peakPage = Math.max(peakPage, s.page);
      peakWorkers = Math.max(peakWorkers, s.workers);
      peakTotal = Math.max(peakTotal, s.page + s.workers);
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  await page.goto(link);
  await waitComplete(page, 540_000);
  sampling = false;
  await sampler;
  await heap.close();
  expect(await shownSha(page)).toBe(file.sha256);
  console.log(`test 8: peak JS heap of the downloading tab: page ${(peakPage / MiB).toFixed(1)} MiB, engine worker ${(peakWorkers / MiB).toFixed(1)} MiB, together ${(peakTotal / MiB).toFixed(1)} MiB`);
  expect(peakPage).toBeGreaterThan(0);
  expect(peakWorkers).toBeGreaterThan(0);
  expect(peakPage).toBeLessThan(150 * MiB); // the measure: CDP Performance.getMetrics JSHeapUsedSize
  expect(peakTotal).toBeLessThan(150 * MiB); // and the engine worker's heap with it
  await Promise.all([sharer.context.close(), context.close()]);
});
