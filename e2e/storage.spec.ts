import { expect, test } from '@playwright/test';
import { makeFile, newApp, share } from './app';

const MiB = 1024 * 1024;

// Chromium enforces a per-origin quota set over CDP (Storage.overrideQuotaForOrigin): a real "disk too full".
// By default it shows pages a made-up quota (usage + 10 GiB), so the pre-check can't see it and this is
// the quota error on write; e2e/storage-precheck.spec.ts tests the pre-check.
test('storage too small (the quota error on write, as in Chrome by default): sharing and downloading say so plainly', async ({
  browser,
  baseURL,
}) => {
  const file = makeFile('too-big-4mib.bin', 4 * MiB, 301);
  const sharer = await newApp(browser, baseURL!);
  const link = await share(sharer.page, file);

  const small = await newApp(browser, baseURL!);
  const cdp = await small.context.newCDPSession(small.page);
  await small.page.goto('/');
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 1 * MiB });
  // Sharing a file bigger than the room left is refused before hashing starts.
  await small.page.locator('input[type=file][data-testid=share-input]').setInputFiles(file.path);
  await expect(small.page.getByTestId('problem-storage-full')).toBeVisible();
  // Downloading: as soon as the metadata says how big the share is.
  await small.page.goto(link);
  await expect(small.page.getByTestId('share-name')).toHaveText(file.name);
  await expect(small.page.getByTestId('problem-storage-full')).toBeVisible();
  await Promise.all([sharer.context.close(), small.context.close()]);
});
