import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { makeFile, newApp, share, waitComplete } from './app';
import { startOwnServer } from './own-server';

// Screenshots of every view and state a user meets, desktop (1280x800) and phone (390x844), for
// people to look at (test-results/screenshots/<view>-<desktop|phone>.png). `npm run screenshots`
// runs only this file and also refreshes docs/screenshot.png (README). Each test also checks
// that nothing on the page is wider than the window (no sideways scrolling on a phone).
const out = process.env.SCREENSHOT_DIR ?? 'test-results/screenshots';
const MiB = 1024 * 1024;
const VIEWPORTS = [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const;
type Label = (typeof VIEWPORTS)[number][0];

const LONG_NAME = 'Lecture-07_Peer-to-peer-file-distribution_BitTorrent-tit-for-tat_and_rarest-first_final-v3.pdf';

async function shot(page: Page, name: string, label: Label): Promise<void> {
  mkdirSync(out, { recursive: true });
  await page.screenshot({ path: `${out}/${name}-${label}.png`, fullPage: true });
  // The page must not scroll sideways: everything fits the window's width (the peer table may
  // scroll inside its own box).
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${name}-${label} is wider than the window`).toBeLessThanOrEqual(0);
}

async function unknownLink(page: Page): Promise<string> {
  return page.evaluate(() => `${location.origin}/#/s/${'A'.repeat(42)}E`);
}

for (const [label, viewport] of VIEWPORTS) {
  test(`sharer and downloaders (${label})`, async ({ browser, baseURL }) => {
    const file = makeFile(LONG_NAME, 6 * MiB, 5);
    const sharer = await newApp(browser, baseURL!, { uploadLimit: 384 * 1024 }, viewport);
    await sharer.page.goto('/');
    await expect(sharer.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
    await shot(sharer.page, 'home', label);

    // Hashing a big file (the JS SHA-256 so it lasts long enough to be seen).
    const big = makeFile('holiday-video.mp4', 96 * MiB, 6);
    const hasher = await newApp(browser, baseURL!, { noSubtle: true }, viewport);
    await hasher.page.goto('/');
    await expect(hasher.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
    await hasher.page.locator('input[type=file][data-testid=share-input]').setInputFiles(big.path);
    await expect
      .poll(
        async () =>
          Number(await hasher.page.getByTestId('hashing').getByRole('progressbar').getAttribute('aria-valuenow')),
        { timeout: 60_000 },
      )
      .toBeGreaterThan(10);
    await shot(hasher.page, 'hashing', label);
    await hasher.context.close();

    const link = await share(sharer.page, file);
    await expect(sharer.page.getByTestId('share-qr')).toBeVisible();
    await expect(sharer.page.getByTestId('seed-idle')).toBeVisible(); // nobody yet: says what to do
    await shot(sharer.page, 'share-alone', label);

    const downs = [await newApp(browser, baseURL!, {}, viewport), await newApp(browser, baseURL!, {}, viewport)];
    await Promise.all(downs.map((d) => d.page.goto(link)));
    const down = downs[0]!.page;
    await expect(down.getByTestId('progress')).toBeVisible();
    await expect
      .poll(async () => Number(await down.getByTestId('progress').getAttribute('aria-valuenow')), { timeout: 60_000 })
      .toBeGreaterThan(25);
    await expect(down.getByTestId('bytes-held')).toContainText('of 6.0 MiB');
    await shot(down, 'downloading', label);
    await expect(sharer.page.getByTestId('seed-idle')).toHaveCount(0);
    await shot(sharer.page, 'share-seeding', label);
    await waitComplete(down);
    // Save (a Blob download for a file this small): the page says where the file went.
    await Promise.all([down.waitForEvent('download'), down.getByRole('button', { name: `Save ${LONG_NAME}` }).click()]);
    await expect(down.getByTestId('save-status')).toHaveAttribute('data-state', 'handed');
    await shot(down, 'complete', label);
    // Keyboard: Tab reaches the copy button, which shows a focus ring.
    const copy = down.getByTestId('copy-link');
    for (let i = 0; i < 40 && !(await copy.evaluate((el) => el === document.activeElement)); i++)
      await down.keyboard.press('Tab');
    expect(await copy.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    await down.getByRole('button', { name: '繁體中文' }).click();
    await expect(down.getByTestId('download-complete')).toContainText('下載完成');
    await shot(down, 'complete-zh-TW', label);
    await down.getByRole('button', { name: 'English' }).click();

    await sharer.page.goto('/#/files');
    await expect(sharer.page.getByTestId('my-file')).toHaveCount(1);
    await shot(sharer.page, 'files', label);

    if (label === 'desktop' && process.env.SCREENSHOT_README) {
      await sharer.page.goto(link);
      await expect(sharer.page.getByTestId('share-qr')).toBeVisible();
      await sharer.page.waitForTimeout(1500);
      await sharer.page.screenshot({ path: 'docs/screenshot.png' });
    }
    await Promise.all([sharer, ...downs].map((p) => p.context.close()));
  });

  test(`a share of several files (${label})`, async ({ browser, baseURL }) => {
    const files = [
      makeFile('slides.pdf', 700 * 1024, 21),
      makeFile(LONG_NAME, 1 * MiB, 22),
      makeFile('data_set_2026-11_all-students_results.csv', 300 * 1024, 23),
    ];
    const sharer = await newApp(browser, baseURL!, {}, viewport);
    await sharer.page.goto('/');
    await expect(sharer.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
    await sharer.page.locator('input[type=file][data-testid=share-input]').setInputFiles(files.map((f) => f.path));
    await expect(sharer.page.getByTestId('share-link')).toBeVisible();
    const link = (await sharer.page.getByTestId('share-link').textContent())!.trim();
    const down = await newApp(browser, baseURL!, {}, viewport);
    await down.page.goto(link);
    await waitComplete(down.page);
    await shot(down.page, 'multi-file-complete', label);
    await down.page.goto('/#/files');
    await expect(down.page.getByTestId('my-file')).toHaveCount(1);
    await shot(down.page, 'multi-file-files', label);
    // Removed: the row goes, "Removed NAME. Undo" stays for a while; undone, it is back.
    await down.page.getByTestId('remove-share').click();
    await expect(down.page.getByTestId('removed-notice')).toBeVisible();
    await expect(down.page.getByTestId('my-file')).toHaveCount(0);
    await shot(down.page, 'files-removed', label);
    await down.page.getByTestId('undo-remove').click();
    await expect(down.page.getByTestId('my-file')).toHaveCount(1);
    await Promise.all([sharer, down].map((p) => p.context.close()));
  });

  test(`links that lead nowhere (${label})`, async ({ browser, baseURL }) => {
    const { context, page } = await newApp(browser, baseURL!, {}, viewport);
    await page.goto('/#/d/not-a-real-link');
    await expect(page.getByTestId('bad-link')).toBeVisible();
    await shot(page, 'error-bad-link', label);
    await page.goto(await unknownLink(page));
    await expect(page.getByTestId('problem-no-peers')).toBeVisible();
    await expect(page.getByTestId('share-link')).toHaveCount(0); // nothing to pass on yet
    await shot(page, 'waiting-for-peers', label);
    await expect(page.getByTestId('unknown-link')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('problem-no-peers')).toHaveCount(0); // replaced, not repeated
    await shot(page, 'error-nobody-online', label);
    await context.close();
  });

  test(`a tampering neighbor, a full disk, no direct connection (${label})`, async ({ browser, baseURL }) => {
    const file = makeFile('tamper-3mib.bin', 3 * MiB, 31);
    const sharer = await newApp(browser, baseURL!, { uploadLimit: 256 * 1024 }, viewport);
    const link = await share(sharer.page, file);
    // The tamperer holds the link (a share of the same file elsewhere is another swarm): it
    // downloads, then corrupts every block it uploads.
    const tamperer = await newApp(browser, baseURL!, { tamper: true }, viewport);
    await tamperer.page.goto(link);
    await waitComplete(tamperer.page);
    const down = await newApp(browser, baseURL!, {}, viewport);
    await down.page.goto(link);
    await expect(down.page.locator('[data-testid=peer-row][data-state=banned]').first()).toBeVisible({
      timeout: 60_000,
    });
    // The whole state ("banned: sent corrupt data") is readable without scrolling the table.
    expect(
      await down.page.locator('.table-wrap').evaluate((el) => el.scrollWidth - el.clientWidth),
    ).toBeLessThanOrEqual(0);
    await shot(down.page, 'error-banned-neighbor', label);
    await tamperer.context.close();

    const small = await newApp(browser, baseURL!, {}, viewport);
    const cdp = await small.context.newCDPSession(small.page);
    await small.page.goto('/');
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 1 * MiB });
    await small.page.goto(link);
    await expect(small.page.getByTestId('problem-storage-full')).toBeVisible();
    // The download stopped: no speed or time left that would say it still moves.
    await expect(small.page.getByTestId('download-panel')).toHaveAttribute('data-state', 'stopped');
    await expect(small.page.getByTestId('download-speed')).toHaveText('–');
    await expect(small.page.getByTestId('time-left')).toHaveText('–');
    await expect(small.page.getByTestId('share-role')).toHaveText('Stopped');
    await expect(small.page.getByTestId('problem-no-peers')).toHaveCount(0); // not "waiting" either
    await shot(small.page, 'error-storage-full', label);
    await small.context.close();

    // No camera/microphone grant: no ICE candidate in the loopback-only namespace (see fallbacks.spec.ts).
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(link);
    await expect(page.getByTestId('problem-connect-failed')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('peer-row')).toHaveCount(0); // never connected: no puzzling "left" rows
    await shot(page, 'error-turn-hint', label);
    await Promise.all([sharer.context.close(), down.context.close(), context.close()]);
  });

  test(`the tracker goes down (${label})`, async ({ browser }) => {
    const server = await startOwnServer();
    try {
      const file = makeFile('notes-2mib.bin', 2 * MiB, 41);
      const sharer = await newApp(browser, server.baseURL, {}, viewport);
      const link = await share(sharer.page, file, server.baseURL);
      const down = await newApp(browser, server.baseURL, {}, viewport);
      await down.page.goto(link);
      await waitComplete(down.page);
      server.kill();
      await expect(down.page.getByTestId('tracker-down')).toBeVisible();
      await expect(down.page.getByTestId('tracker-next-try')).toBeVisible();
      await shot(down.page, 'error-tracker-down', label);
      // "Retry now" while it is still down: "Reconnecting…", then the countdown to the next attempt again.
      await down.page.getByTestId('tracker-retry').click();
      await expect(down.page.getByTestId('tracker-reconnecting')).toBeVisible();
      await expect(down.page.getByTestId('tracker-retry')).toBeDisabled();
      await shot(down.page, 'error-tracker-retrying', label);
      await expect(down.page.getByTestId('tracker-next-try')).toBeVisible();
      await expect(down.page.getByTestId('tracker-retry')).toBeEnabled();
      await Promise.all([sharer, down].map((p) => p.context.close()));
    } finally {
      await server.stop();
    }
  });

  test(`classroom projector and what-if page (${label})`, async ({ browser, baseURL }) => {
    const { context, page } = await newApp(browser, baseURL!, {}, viewport);
    await page.goto('/#/classroom/demo');
    await expect(page.getByTestId('swarm-graph')).toBeVisible();
    await expect(page.getByTestId('back-link')).toHaveAttribute('href', '#/'); // the demo belongs to no share
    await page.waitForTimeout(4000); // let the sample swarm run a little
    await shot(page, 'classroom-demo', label);
    await page.goto('/#/what-if');
    await page.waitForTimeout(4000);
    await shot(page, 'what-if', label);
    // Its back link leads home, and the app starts there (these pages do not start it).
    await page.getByTestId('back-link').click();
    await expect(page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
    await expect(page.getByTestId('share-input')).toBeAttached();
    await context.close();
  });
}

test('copying the link on a plain-http LAN address (no clipboard API) says to press Ctrl+C', async ({
  browser,
  baseURL,
}) => {
  // http://classroom.test:PORT is not a secure context (see docs/TESTING.md): navigator.clipboard is missing.
  const lan = `http://classroom.test:${new URL(baseURL!).port}`;
  const { context, page } = await newApp(browser, baseURL!, {}, { width: 390, height: 844 });
  await share(page, makeFile('handout.pdf', 300 * 1024, 51), lan);
  expect(await page.evaluate(() => 'clipboard' in navigator)).toBe(false);
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copy-status')).toHaveAttribute('data-state', 'selected');
  await expect(page.getByTestId('copy-status')).toContainText('Ctrl+C');
  await expect(page.getByTestId('copy-link')).not.toHaveText('Copied!');
  expect(await page.evaluate(() => window.getSelection()?.toString().trim())).toBe(
    await page
      .getByTestId('share-link')
      .textContent()
      .then((t) => t?.trim()),
  );
  await shot(page, 'share-copy-lan', 'phone');
  await context.close();
});

test('classroom projector on a 1920x1080 projector', async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const { context, page } = await newApp(browser, baseURL!, {}, { width: 1920, height: 1080 });
  await page.goto('/#/classroom/demo');
  await expect(page.getByTestId('swarm-graph')).toBeVisible();
  // The demo is the engine in the simulator worker: a 6 MiB share in the chunks a live share of
  // that size has, the sharer and six peers, the bounds from the demo's caps (256 and 128 KiB/s).
  await expect(page.locator('[data-testid=swarm-graph] [data-peer-id]')).toHaveCount(7);
  await expect(page.getByTestId('num-f')).toHaveText('6.0 MiB');
  await expect(page.getByText('384 chunks of 16 KiB')).toBeVisible();
  await expect(page.getByTestId('bound-p2p')).toHaveText('36.0 s');
  await expect(page.getByTestId('bound-cs')).toHaveText('144 s');
  // One simulated second per second, the pace a class watches: print how far it got.
  const started = Date.now();
  await expect(page.getByTestId('measured-d')).toHaveText(/^(1[5-9]|[2-5]\d)\.\d s$/, { timeout: 60_000 });
  const shown = parseFloat((await page.getByTestId('measured-d').textContent()) ?? '');
  console.log(
    `classroom demo: ${shown} simulated s shown ${((Date.now() - started) / 1000).toFixed(1)} s after the first check`,
  );
  await page.screenshot({ path: `${out}/classroom-demo-projector.png` });
  // The round ends at or above its bound and goes into the results table.
  const row = page.locator('[data-testid=results-table] tr[data-round="1"]');
  await expect(row).toHaveAttribute('data-mode', 'p2p', { timeout: 90_000 });
  const D = parseFloat((await page.getByTestId('measured-d').textContent()) ?? '');
  console.log(`classroom demo P2P round: D = ${D} s, D_P2P bound 36.0 s, ratio ${(D / 36).toFixed(2)}`);
  expect(D).toBeGreaterThanOrEqual(36);
  await page.screenshot({ path: `${out}/classroom-demo-projector-done.png` });
  await context.close();
});
