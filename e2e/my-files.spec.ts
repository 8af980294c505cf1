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
