import { expect, test, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { randomBytes } from './fixtures';
import { makeFile, newApp, share, shownSha, waitComplete } from './app';

const MiB = 1024 * 1024;

/** The sharer's copy into storage, as its share view shows it. */
async function copyState(page: Page): Promise<{ state: string; bytes: number }> {
  const el = page.getByTestId('share-copy');
  return { state: (await el.getAttribute('data-state')) ?? '', bytes: Number(await el.getAttribute('data-bytes')) };
}

test('the link comes before the copy: a downloader completes while the sharer still copies; after the copy a reload keeps seeding', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const size = 24 * MiB;
  const file = makeFile('pipeline-24mib.bin', size, 171);
  // The copy slowed to 1 MiB/s (test switch): it runs for ~24 s, the download takes a few.
  const sharer = await newApp(browser, baseURL!, { copyBytesPerSec: MiB });
  const link = await share(sharer.page, file, '', { copied: false });
  expect((await copyState(sharer.page)).state).toBe('copying');

  const first = await newApp(browser, baseURL!);
  await first.page.goto(link);
  await waitComplete(first.page, 120_000);
  expect(await shownSha(first.page)).toBe(file.sha256);
  // Served from the file itself: the copy is still under way.
  const during = await copyState(sharer.page);
  console.log(`pipeline: downloader complete with the sharer's copy at ${(during.bytes / MiB).toFixed(1)} MiB`);
  expect(during.state).toBe('copying');
  expect(during.bytes).toBeLessThan(size);

  await expect(sharer.page.getByTestId('share-copy')).toHaveAttribute('data-state', 'copied', { timeout: 120_000 });
  expect(await shownSha(sharer.page)).toBe(file.sha256); // the per-file SHA-256, computed during the copy
  await sharer.page.goto('/#/files');
  await expect(sharer.page.getByTestId('my-file-stored')).toHaveAttribute('data-bytes', String(size));

  // After a reload the File is gone: the share seeds from IndexedDB.
  await first.context.close();
  await sharer.page.goto(link);
  await sharer.page.reload();
  await expect(sharer.page.getByTestId('share-link')).toHaveText(link);
  await expect(sharer.page.getByTestId('share-copy')).toHaveAttribute('data-state', 'copied');
  const second = await newApp(browser, baseURL!);
  await second.page.goto(link);
  await waitComplete(second.page, 120_000);
  expect(await shownSha(second.page)).toBe(file.sha256);
  await Promise.all([sharer.context.close(), second.context.close()]);
});

test('a file changed on disk while it is shared from it: sharing stops, the page says so, nothing half-copied is kept', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const file = makeFile('pipeline-changed-8mib.bin', 8 * MiB, 172);
  const sharer = await newApp(browser, baseURL!, { copyBytesPerSec: 512 * 1024 });
  await share(sharer.page, file, '', { copied: false });
  await expect.poll(async () => (await copyState(sharer.page)).bytes).toBeGreaterThan(0);
  writeFileSync(file.path, randomBytes(file.size, 999)); // same size, other bytes, newer mtime
  await expect(sharer.page.getByTestId('problem-source-changed')).toBeVisible({ timeout: 60_000 });
  // The partial copy and the record are gone: after a reload My files is empty.
  await sharer.page.goto('/#/files');
  await sharer.page.reload();
  await expect(sharer.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
  await expect(sharer.page.getByText('Nothing here yet')).toBeVisible();
  await expect(sharer.page.getByTestId('my-file')).toHaveCount(0);
  await sharer.context.close();
});
