/**
 * "Remove" in My files can be undone for ~10 s: undone, the share is kept and served; not undone,
 * its chunks are deleted when the notice ends and the storage used drops.
 */
import { expect, test, type Page } from '@playwright/test';
import { makeFile, newApp, share, shownSha, waitComplete } from './app';

const MiB = 1024 * 1024;

async function usage(page: Page): Promise<number> {
  return Number(await page.getByTestId('storage-used').getAttribute('data-usage'));
}

test('remove, then undo: the share stays and is served; remove without undo: its storage is freed when the notice ends', async ({
  browser,
  baseURL,
}) => {
  const file = makeFile('undo-me-8mib.bin', 8 * MiB, 61);
  const sharer = await newApp(browser, baseURL!);
  const link = await share(sharer.page, file);
  await sharer.page.goto('/#/files');
  await expect(sharer.page.getByTestId('my-file')).toHaveCount(1);

  // Remove, then undo: the row comes back, and after the undo window the file is still there.
  await sharer.page.getByTestId('remove-share').click();
  await expect(sharer.page.getByTestId('my-file')).toHaveCount(0);
  await expect(sharer.page.getByTestId('removed-notice')).toContainText(file.name);
  await sharer.page.getByTestId('undo-remove').click();
  await expect(sharer.page.getByTestId('removed-notice')).toHaveCount(0);
  await expect(sharer.page.getByTestId('my-file')).toHaveCount(1);
  await sharer.page.waitForTimeout(11_000); // past the window the removal would have ended in
  await expect(sharer.page.getByTestId('my-file')).toHaveCount(1);
  // It is shared again: a new downloader gets every byte from it.
  const down = await newApp(browser, baseURL!);
  await down.page.goto(link);
  await waitComplete(down.page);
  expect(await shownSha(down.page)).toBe(file.sha256);
  await down.context.close();

  // Remove without undo: the notice goes after ~10 s, then the chunks are gone from storage.
  await sharer.page.reload(); // fresh storage figure
  await expect(sharer.page.getByTestId('storage-used')).toBeVisible();
  const before = await usage(sharer.page);
  expect(before).toBeGreaterThanOrEqual(file.size);
  await sharer.page.getByTestId('remove-share').click();
  const removedAt = Date.now();
  await expect(sharer.page.getByTestId('removed-notice')).toBeVisible();
  await expect(sharer.page.getByTestId('removed-notice')).toHaveCount(0, { timeout: 20_000 });
  expect(Date.now() - removedAt).toBeGreaterThanOrEqual(9_000);
  await expect.poll(() => usage(sharer.page), { timeout: 15_000 }).toBeLessThan(before - file.size * 0.9);
  await sharer.page.reload();
  await expect(sharer.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
  await expect(sharer.page.getByTestId('my-file')).toHaveCount(0);
  await sharer.context.close();
});

test('a share stored by a version before private links is listed as such, never announced, and removing it frees its storage', async ({
  browser,
  baseURL,
}) => {
  const app = await newApp(browser, baseURL!);
  const frames: string[] = [];
  app.page.on('websocket', (ws) => ws.on('framesent', (f) => frames.push(String(f.payload))));
  await app.page.goto('/#/files');
  await expect(app.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
  // What such a version stored: the info hash (base64url) as swarm id, no link secret, plain chunks.
  const oldId = 'b2xkLWluZm8taGFzaC1vZi1hLXB1YmxpYy1zaGFyZTA';
  const size = 8 * MiB;
  await app.page.evaluate(
    async ({ oldId, size }) => {
      const put = (db: string, store: string, entries: [IDBValidKey, unknown][]) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(db);
          open.onupgradeneeded = () => open.result.createObjectStore(store);
          open.onerror = () => reject(open.error ?? new Error('open failed'));
          open.onsuccess = () => {
            const tx = open.result.transaction(store, 'readwrite');
            for (const [k, v] of entries) tx.objectStore(store).put(v, k);
            tx.oncomplete = () => (open.result.close(), resolve());
            tx.onerror = () => reject(tx.error ?? new Error('write failed'));
          };
        });
      const chunkSize = 1024 * 1024;
      // Random chunks as Blobs (getRandomValues fills at most 64 KiB at a time).
      const chunks: [IDBValidKey, unknown][] = Array.from({ length: size / chunkSize }, (_, i) => [
        [oldId, i],
        new Blob(Array.from({ length: 16 }, () => crypto.getRandomValues(new Uint8Array(chunkSize / 16)))),
      ]);
      await put('swarmdrop-chunks', 'chunks', chunks);
      const summary = {
        swarmId: oldId,
        hasMetadata: true,
        name: 'old-lecture.bin',
        files: [{ name: 'old-lecture.bin', size, offset: 0 }],
        totalSize: size,
        chunkSize,
        chunkCount: size / chunkSize,
        role: 'seed',
        createdAt: 1,
        haveChunks: size / chunkSize,
        complete: true,
      };
      await put('swarmdrop-shares', 'shares', [[oldId, { summary }]]);
    },
    { oldId, size },
  );
  await app.page.reload();
  await expect(app.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
  const row = app.page.getByTestId('my-file');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('old-lecture.bin');
  await expect(row.getByTestId('my-file-outdated')).toContainText('older version');
  await expect(row.locator('a')).toHaveCount(0); // no link to a share that can't run
  await expect(app.page.getByTestId('storage-used')).toBeVisible();
  const before = await usage(app.page);
  expect(before).toBeGreaterThanOrEqual(size);

  await row.getByTestId('remove-share').click();
  await expect(app.page.getByTestId('removed-notice')).toContainText('old-lecture.bin');
  await expect(app.page.getByTestId('removed-notice')).toHaveCount(0, { timeout: 20_000 });
  await expect.poll(() => usage(app.page), { timeout: 15_000 }).toBeLessThan(before - size * 0.9);
  await app.page.reload();
  await expect(app.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
  await expect(app.page.getByTestId('my-file')).toHaveCount(0);
  // It was never announced: the tracker saw no frame naming its old swarm id.
  expect(frames.filter((f) => f.includes(oldId))).toEqual([]);
  await app.context.close();
});
