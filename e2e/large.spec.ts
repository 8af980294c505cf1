import { expect, test } from '@playwright/test';
import { makeFile, newApp, share, shownSha, waitComplete } from './app';

const MiB = 1024 * 1024;

test('8: a 200 MiB file completes and the downloading tab keeps its JS heap under 150 MiB', async ({ browser, baseURL }) => {
  test.setTimeout(600_000);
  const file = makeFile('large-200mib.bin', 200 * MiB, 88);
  const sharer = await newApp(browser, baseURL!);
  const link = await share(sharer.page, file);
  const { context, page } = await newApp(browser, baseURL!);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      peak = Math.max(peak, used);
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  await page.goto(link);
  await waitComplete(page, 540_000);
  sampling = false;
  await sampler;
  expect(await shownSha(page)).toBe(file.sha256);
  console.log(`test 8: peak JSHeapUsedSize of the downloading tab ${(peak / MiB).toFixed(1)} MiB`);
  expect(peak).toBeGreaterThan(0);
  expect(peak).toBeLessThan(150 * MiB);
  await Promise.all([sharer.context.close(), context.close()]);
});
