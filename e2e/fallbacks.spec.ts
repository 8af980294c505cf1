import { expect, test } from '@playwright/test';
import { makeFile, newApp, neighborStats, savedSha, share, shownSha, waitComplete } from './app';

const MiB = 1024 * 1024;

test('relay fallback: peers that relay chunk bytes through the page and peers that transfer channels interoperate', async ({
  browser,
  baseURL,
}) => {
  const file = makeFile('relay-3mib.bin', 3 * MiB, 111);
  const sharer = await newApp(browser, baseURL!, { forceRelay: true });
  const link = await share(sharer.page, file);
  const relaying = await newApp(browser, baseURL!, { forceRelay: true });
  const transferring = await newApp(browser, baseURL!);
  await Promise.all([relaying.page.goto(link), transferring.page.goto(link)]);
  for (const { page } of [relaying, transferring]) {
    await waitComplete(page);
    expect(await shownSha(page)).toBe(file.sha256);
  }
  expect(await savedSha(relaying.page)).toBe(file.sha256);
  const rows = await neighborStats(transferring.page);
  expect(rows.some((r) => r.origin && r.downloaded > 0)).toBe(true); // bytes from the relaying sharer
  await Promise.all([sharer, relaying, transferring].map((p) => p.context.close()));
});

test('a connection that cannot be made is explained (a TURN server may be needed)', async ({ browser, baseURL }) => {
  const file = makeFile('unreachable-1mib.bin', 1 * MiB, 112);
  const sharer = await newApp(browser, baseURL!);
  const link = await share(sharer.page, file);
  // No camera/microphone grant: in the loopback-only namespace this context gathers no ICE
  // candidate at all, as a peer behind a network that blocks direct connections.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await expect(page.getByTestId('problem-connect-failed')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('problem-connect-failed')).toHaveAttribute('data-failure', 'no-candidates');
  await expect(page.getByTestId('deploy-doc-link')).toBeVisible();
  // The sharer learns that someone is trying to reach it and failing.
  await expect(sharer.page.getByTestId('unreachable')).toHaveAttribute('data-count', '1');
  await Promise.all([sharer.context.close(), context.close()]);
});
