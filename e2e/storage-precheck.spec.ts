/**
 * The storage pre-check, for real. Chromium (since 138) shows pages a made-up quota, usage +
 * min(10 GiB, disk), so that incognito can't be detected; the quota it enforces is the real one.
 * With that feature switched off (`--disable-features=StaticStorageQuota`, what Safari and Firefox
 * do anyway) navigator.storage.estimate() reports the quota set over CDP, and the app's pre-check
 * sees it. e2e/storage.spec.ts covers the default: the quota error on write.
 */
import { expect, test } from '@playwright/test';
import config from '../playwright.config';
import { makeFile, newApp, progress, sessionDownloaded, share } from './app';

const MiB = 1024 * 1024;
const launch = config.use!.launchOptions!;
test.use({ launchOptions: { ...launch, args: [...(launch.args ?? []), '--disable-features=StaticStorageQuota'] } });

test('storage pre-check: sharing or downloading more than the free space is refused up front, saying how much', async ({
  browser,
  baseURL,
}) => {
  const file = makeFile('too-big-precheck-4mib.bin', 4 * MiB, 302);
  const sharer = await newApp(browser, baseURL!);
  const link = await share(sharer.page, file);

  const small = await newApp(browser, baseURL!);
  const page = small.page;
  const cdp = await small.context.newCDPSession(page);
  await page.goto('/');
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 1 * MiB });
  expect(await page.evaluate(async () => (await navigator.storage.estimate()).quota)).toBe(1 * MiB);

  // Sharing: refused before hashing, with the sizes.
  await page.locator('input[type=file][data-testid=share-input]').setInputFiles(file.path);
  const shareShortfall = page.getByTestId('problem-storage-full').getByTestId('storage-shortfall');
  await expect(shareShortfall).toBeVisible();
  expect(Number(await shareShortfall.getAttribute('data-needed'))).toBe(file.size);
  expect(Number(await shareShortfall.getAttribute('data-free'))).toBeLessThanOrEqual(1 * MiB);
  await expect(page.getByTestId('share-link')).toHaveCount(0);

  // Downloading: the name and size arrive from the sharer, then the download is refused before
  // any chunk is requested.
  await page.goto(link);
  await expect(page.getByTestId('share-name')).toHaveText(file.name);
  const shortfall = page.getByTestId('problem-storage-full').getByTestId('storage-shortfall');
  await expect(shortfall).toBeVisible();
  expect(Number(await shortfall.getAttribute('data-needed'))).toBe(file.size);
  await expect(shortfall).toContainText('4.0 MiB');
  expect(await sessionDownloaded(page)).toBe(0);
  expect(await progress(page)).toBe(0);
  await Promise.all([sharer.context.close(), small.context.close()]);
});
