import { expect, test } from '@playwright/test';
import { makeFile, newApp, share, shownSha, waitComplete } from './app';
import { heapPeaks, tabHeap } from './heap';
import { fileSliceHashes, installOpfsSavePicker, opfsSliceHashes, pickedNames } from './opfs-save';

const MiB = 1024 * 1024;

const mib = (n: number): string => (n / MiB).toFixed(1);

test('8: a 200 MiB file completes and streams to disk; the downloading tab keeps its JS heap under 150 MiB', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(720_000);
  const file = makeFile('large-200mib.bin', 200 * MiB, 88);
  const sharer = await newApp(browser, baseURL!);
  const link = await share(sharer.page, file);
  const { context, page } = await newApp(browser, baseURL!);
  await installOpfsSavePicker(context); // showSaveFilePicker -> a real OPFS file (see e2e/opfs-save.ts)
  await page.goto('/');
  const heap = await tabHeap(page);

  const downloading = heapPeaks(heap, 500);
  await page.goto(link);
  await waitComplete(page, 540_000);
  const down = await downloading.stop();
  expect(await shownSha(page)).toBe(file.sha256);
  console.log(
    `test 8: peak JS heap while downloading: page ${mib(down.page)} MiB, engine worker ${mib(down.workers)} MiB, together ${mib(down.total)} MiB`,
  );
  expect(down.page).toBeGreaterThan(0);
  expect(down.workers).toBeGreaterThan(0);
  expect(down.page).toBeLessThan(150 * MiB); // the measure: JSHeapUsedSize
  expect(down.total).toBeLessThan(150 * MiB); // and the engine worker's heap with it

  // Save: over 64 MiB with showSaveFilePicker present, the app streams chunk by chunk into the file.
  const saving = heapPeaks(heap, 500);
  await page.getByTestId('save-file').click();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 180_000 });
  const save = await saving.stop();
  await heap.close();
  console.log(
    `test 8: peak JS heap while streaming the save: page ${mib(save.page)} MiB, engine worker ${mib(save.workers)} MiB, together ${mib(save.total)} MiB`,
  );
  expect(await pickedNames(page)).toEqual([file.name]);
  expect(save.total).toBeLessThan(150 * MiB);
  const slice = 16 * MiB;
  const saved = await opfsSliceHashes(page, file.name, slice);
  expect(saved.size).toBe(file.size);
  expect(saved.hashes).toEqual(fileSliceHashes(file.path, slice));

  // The disk fills up during a save: the page says so and leaves no half-written file. A quota
  // set over CDP is enforced by Chromium on OPFS writes (the chunks in IndexedDB count too).
  await page.evaluate((name) => navigator.storage.getDirectory().then((d) => d.removeEntry(name)), file.name);
  const cdp = await context.newCDPSession(page);
  const origin = new URL(baseURL!).origin;
  const { usage } = await cdp.send('Storage.getUsageAndQuota', { origin });
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 16 * MiB });
  await page.getByTestId('save-file').click();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'failed', { timeout: 120_000 });
  await expect(page.getByTestId('save-status')).toContainText(/Saving failed: .+/);
  expect((await opfsSliceHashes(page, file.name, slice)).size).toBe(0);
  await Promise.all([sharer.context.close(), context.close()]);
});
