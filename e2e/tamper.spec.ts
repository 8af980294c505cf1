import { expect, test } from '@playwright/test';
import { makeFile, neighborStats, newApp, share, shownSha, waitComplete } from './app';

const MiB = 1024 * 1024;

test('6: a tampering peer is banned and everyone still completes with the right SHA-256', async ({
  browser,
  baseURL,
}) => {
  const file = makeFile('tamper-4mib.bin', 4 * MiB, 66);
  const sharer = await newApp(browser, baseURL!);
  const link = await share(sharer.page, file);
  // The tamperer holds the link: it downloads the file, then corrupts every block it uploads (its
  // ciphertext fails the chunk hashes of the link's metadata).
  const tamperer = await newApp(browser, baseURL!, { tamper: true });
  await tamperer.page.goto(link);
  await waitComplete(tamperer.page);

  const downloaders = await Promise.all([1, 2, 3].map(() => newApp(browser, baseURL!)));
  await Promise.all(downloaders.map(({ page }) => page.goto(link)));
  let bans = 0;
  for (const { page } of downloaders) {
    await waitComplete(page);
    expect(await shownSha(page)).toBe(file.sha256);
    bans += (await neighborStats(page)).filter((r) => r.state === 'banned').length;
  }
  expect(bans).toBeGreaterThan(0);
  // A banned neighbor is shown as such.
  const withBan = [];
  for (const { page } of downloaders)
    if ((await page.locator('[data-testid=peer-row][data-state=banned]').count()) > 0) withBan.push(page);
  await expect(withBan[0]!.locator('[data-testid=peer-row][data-state=banned]').first()).toBeVisible();
  // The ban closed the banned peer's WebRTC connection too, not only its chunk channel: every
  // connection still up on the page is an active neighbor (none keeps a slot for the banned one).
  for (const page of withBan) {
    await expect
      .poll(
        async () => {
          const active = (await neighborStats(page)).filter((r) => r.state === 'active').length;
          return Number(await page.getByTestId('share-view').getAttribute('data-connected')) - active;
        },
        { timeout: 15_000 },
      )
      .toBe(0);
  }
  await Promise.all([sharer, tamperer, ...downloaders].map((p) => p.context.close()));
});
