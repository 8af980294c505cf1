import { expect, test } from '@playwright/test';
import {
  makeFile,
  neighborStats,
  newApp,
  progress,
  sessionDownloaded,
  share,
  shownSha,
  waitComplete,
  waitProgress,
} from './app';
import { newPeerContext } from './fixtures';
import { startOwnServer } from './own-server';

const MiB = 1024 * 1024;

test('9a: malformed and unknown links get clear messages', async ({ browser, baseURL }) => {
  const { context, page } = await newApp(browser, baseURL!);
  for (const bad of ['/#/s/not-a-link', '/#/s/', `/#/s/${'A'.repeat(42)}!`, `/#/s/${'A'.repeat(42)}B`, '/#/nowhere']) {
    await page.goto(bad);
    await expect(page.getByTestId('bad-link')).toBeVisible();
  }
  // A link of the older, non-private format (`#/d/<info hash>`) says so plainly.
  await page.goto(`/#/d/${'Q'.repeat(43)}`);
  await expect(page.getByTestId('bad-link')).toHaveAttribute('data-problem', 'old-version');
  // Well-formed but nobody holds it: the page says it is waiting, then that nobody has it.
  await page.goto(`/#/s/${'Q'.repeat(43)}`);
  await expect(page.getByTestId('problem-no-peers')).toBeVisible();
  await expect(page.getByTestId('unknown-link')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('problem-no-peers')).toHaveCount(0);
  await context.close();
});

test('9b: the tracker is killed mid-transfer: the page says so and the transfer under way finishes', async ({
  browser,
}) => {
  const server = await startOwnServer();
  try {
    const file = makeFile('tracker-dies-4mib.bin', 4 * MiB, 99);
    const sharerCtx = await newPeerContext(browser, server.baseURL);
    await sharerCtx.addInitScript(() =>
      localStorage.setItem('swarmdrop.testFlags', JSON.stringify({ uploadLimit: 512 * 1024 })),
    );
    const sharer = await sharerCtx.newPage();
    const link = await share(sharer, file, server.baseURL);
    const downCtx = await newPeerContext(browser, server.baseURL);
    const downloader = await downCtx.newPage();
    await downloader.goto(link);
    await waitProgress(downloader, 10);
    server.kill();
    for (const page of [sharer, downloader]) await expect(page.getByTestId('tracker-down')).toBeVisible();
    await expect(downloader.getByTestId('tracker-status')).not.toHaveAttribute('data-status', 'open');
    await waitComplete(downloader);
    expect(await shownSha(downloader)).toBe(file.sha256);
    await Promise.all([sharerCtx.close(), downCtx.close()]);
  } finally {
    await server.stop();
  }
});

test('9c: the tracker comes back (Retry now reconnects at once): a transfer under way keeps its neighbors and bytes, pages take new ids, a new downloader completes', async ({
  browser,
}) => {
  let server = await startOwnServer();
  const port = server.port;
  try {
    const file = makeFile('tracker-returns-4mib.bin', 4 * MiB, 100);
    const sharerCtx = await newPeerContext(browser, server.baseURL);
    // 128 KiB/s: 32 s for the file, so it is still under way when the tracker is back, even on a loaded machine.
    await sharerCtx.addInitScript(() =>
      localStorage.setItem('swarmdrop.testFlags', JSON.stringify({ uploadLimit: 128 * 1024 })),
    );
    const sharer = await sharerCtx.newPage();
    const link = await share(sharer, file, server.baseURL);
    const downCtx = await newPeerContext(browser, server.baseURL);
    const downloader = await downCtx.newPage();
    await downloader.goto(link);
    await waitProgress(downloader, 5);
    const [origin] = (await neighborStats(downloader)).filter((n) => n.origin && n.state === 'active');
    expect(origin).toBeDefined();

    // Bytes received since load, watched from now to the end: a restarted share would start again at 0.
    let seen = 0;
    let shrank = false;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const bytes = await sessionDownloaded(downloader);
        if (bytes < seen) shrank = true;
        seen = Math.max(seen, bytes);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    server.kill();
    for (const page of [sharer, downloader]) await expect(page.getByTestId('tracker-down')).toBeVisible();
    const before = await sessionDownloaded(downloader);
    // Wait until the downloader's backoff has grown: its next attempt is at least 4.5 s away
    // (pauses double up to 10 s, with jitter). Then the tracker comes back.
    const nextRetry = () => downloader.getByTestId('tracker-down').getAttribute('data-next-retry').then(Number);
    await expect
      .poll(async () => (await nextRetry()) - Date.now(), { timeout: 30_000, intervals: [100] })
      .toBeGreaterThan(4_500);
    server = await startOwnServer({}, port);
    // "Retry now" on the downloader: it reconnects at once, well before its scheduled attempt
    // (the sharer waits out its own backoff).
    const scheduled = await nextRetry();
    const clickedAt = Date.now();
    expect(
      scheduled - clickedAt,
      'the tracker took so long to start that the scheduled attempt is due',
    ).toBeGreaterThan(1_000);
    await downloader.getByTestId('tracker-retry').click();
    await expect(downloader.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open', {
      timeout: scheduled - Date.now(),
    });
    const reconnectedAt = Date.now();
    expect(reconnectedAt - clickedAt).toBeLessThan(Math.min(2_000, scheduled - clickedAt));
    test.info().annotations.push({
      type: 'retry-now',
      description: `open ${reconnectedAt - clickedAt} ms after the click; the scheduled attempt was ${Math.round(scheduled - clickedAt)} ms away`,
    });
    await expect(downloader.getByTestId('tracker-down')).toHaveCount(0);
    await expect(sharer.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open', { timeout: 30_000 });
    // The transfer is still under way; it goes on without the share being restarted: bytes
    // received since load only grow, over the same connection.
    const atReconnect = await progress(downloader);
    expect(atReconnect).toBeLessThan(90);
    await waitProgress(downloader, atReconnect + 5);
    expect(await sessionDownloaded(downloader)).toBeGreaterThan(before);
    const after = await neighborStats(downloader);
    expect(after.filter((n) => n.origin && n.state === 'active').map((n) => n.peer)).toEqual([origin!.peer]);
    await waitComplete(downloader);
    watching = false;
    await watcher;
    expect(shrank).toBe(false);
    expect(await shownSha(downloader)).toBe(file.sha256);
    // Nothing was fetched twice: what arrived since load is the file (plus endgame duplicates at most).
    expect(await sessionDownloaded(downloader)).toBeLessThan(file.size * 1.1);

    // Handshakes now carry the new ids: a newcomer connects and completes.
    const lateCtx = await newPeerContext(browser, server.baseURL);
    const late = await lateCtx.newPage();
    await late.goto(link);
    await waitComplete(late);
    expect(await shownSha(late)).toBe(file.sha256);
    await Promise.all([sharerCtx.close(), downCtx.close(), lateCtx.close()]);
  } finally {
    await server.stop();
  }
});

test('the worker crashes mid-download: it is restarted and the download resumes from storage', async ({
  browser,
  baseURL,
}) => {
  const file = makeFile('worker-crash-4mib.bin', 4 * MiB, 101);
  const sharer = await newApp(browser, baseURL!, { uploadLimit: 512 * 1024 });
  const link = await share(sharer.page, file);
  const { context, page } = await newApp(browser, baseURL!, { noSavePicker: true });
  await page.goto(link);
  await waitProgress(page, 20);
  await page.evaluate(() =>
    (window as unknown as { __swarmdropTest: { crashWorker(): void } }).__swarmdropTest.crashWorker(),
  );
  await expect(page.getByTestId('worker-restarting')).toBeVisible();
  await waitComplete(page);
  expect(await shownSha(page)).toBe(file.sha256);
  await Promise.all([sharer.context.close(), context.close()]);
});
