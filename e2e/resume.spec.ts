import { expect, test } from '@playwright/test';
import { makeFile, newApp, progress, sessionDownloaded, share, shownSha, waitComplete, waitProgress } from './app';

const MiB = 1024 * 1024;

test('3: a downloader reloaded at about 50% resumes and fetches about the missing half', async ({
  browser,
  baseURL,
}) => {
  const size = 8 * MiB;
  const file = makeFile('resume-8mib.bin', size, 33);
  const sharer = await newApp(browser, baseURL!, { uploadLimit: 1024 * 1024 });
  const link = await share(sharer.page, file);
  const { context, page } = await newApp(browser, baseURL!);
  await page.goto(link);
  const before = await waitProgress(page, 45);
  await page.reload();
  // The stored chunks count at once, before any new byte arrives.
  await expect.poll(() => progress(page)).toBeGreaterThanOrEqual(Math.max(0, before - 5));
  await waitComplete(page);
  expect(await shownSha(page)).toBe(file.sha256);
  const after = await sessionDownloaded(page);
  const missing = size * (1 - before / 100);
  console.log(`test 3: reloaded at ${before}%, then downloaded ${after} bytes (missing ${Math.round(missing)})`);
  expect(after).toBeGreaterThan(0);
  expect(after).toBeLessThan(missing + 0.15 * size);
  await Promise.all([sharer.context.close(), context.close()]);
});

test('4: a reloaded sharer seeds again and a new downloader completes', async ({ browser, baseURL }) => {
  const file = makeFile('reseed-2mib.bin', 2 * MiB, 44);
  const sharer = await newApp(browser, baseURL!);
  const link = await share(sharer.page, file);
  await sharer.page.reload();
  await expect(sharer.page.getByTestId('share-link')).toHaveText(link);
  const { context, page } = await newApp(browser, baseURL!);
  await page.goto(link);
  await waitComplete(page);
  expect(await shownSha(page)).toBe(file.sha256);
  // The sharer's "My files" lists the share after the reload too.
  await sharer.page.goto('/#/files');
  await expect(sharer.page.getByTestId('my-file')).toHaveCount(1);
  await expect(sharer.page.getByTestId('storage-used')).toBeVisible();
  // Remove deletes the stored copy: gone from the list, and still gone after a reload.
  await sharer.page.getByTestId('remove-share').click();
  await expect(sharer.page.getByTestId('my-file')).toHaveCount(0);
  await sharer.page.reload();
  await expect(sharer.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
  await expect(sharer.page.getByTestId('my-file')).toHaveCount(0);
  await Promise.all([sharer.context.close(), context.close()]);
});

test('5: the sharer leaves once every chunk exists among the downloaders; a late joiner completes', async ({
  browser,
  baseURL,
}) => {
  const file = makeFile('leave-4mib.bin', 4 * MiB, 55);
  const sharer = await newApp(browser, baseURL!, { uploadLimit: 1024 * 1024 });
  const link = await share(sharer.page, file);
  const early = await Promise.all([1, 2].map(() => newApp(browser, baseURL!)));
  await Promise.all(early.map(({ page }) => page.goto(link)));
  await expect(sharer.page.getByTestId('share-view')).toHaveAttribute('data-swarm-has-all', 'true', {
    timeout: 120_000,
  });
  await sharer.context.close();
  const late = await newApp(browser, baseURL!);
  await late.page.goto(link);
  for (const { page } of [...early, late]) {
    await waitComplete(page);
    expect(await shownSha(page)).toBe(file.sha256);
  }
  await Promise.all([...early, late].map((p) => p.context.close()));
});
