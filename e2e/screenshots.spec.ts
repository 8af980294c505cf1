import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { makeFile, newApp, share, waitComplete } from './app';

// Screenshots of the share and download views, desktop and phone-sized, for people to look at.
// `npm run screenshots` runs only this file and also refreshes docs/screenshot.png (README).
const out = process.env.SCREENSHOT_DIR ?? 'test-results/screenshots';

test('screenshots of the share and download views (desktop and phone)', async ({ browser, baseURL }) => {
  mkdirSync(out, { recursive: true });
  const file = makeFile('lecture-notes.pdf', 3 * 1024 * 1024, 5);
  for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    const sharer = await newApp(browser, baseURL!, { uploadLimit: 512 * 1024 }, viewport);
    await sharer.page.goto('/');
    await expect(sharer.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
    await sharer.page.screenshot({ path: `${out}/home-${label}.png`, fullPage: true });
    const link = await share(sharer.page, file);
    await expect(sharer.page.getByTestId('share-qr')).toBeVisible();
    const down = await newApp(browser, baseURL!, {}, viewport);
    await down.page.goto(link);
    await expect(down.page.getByTestId('progress')).toBeVisible();
    await expect.poll(async () => Number(await down.page.getByTestId('progress').getAttribute('aria-valuenow'))).toBeGreaterThan(20);
    await down.page.screenshot({ path: `${out}/downloading-${label}.png`, fullPage: true });
    await waitComplete(down.page);
    await down.page.screenshot({ path: `${out}/complete-${label}.png`, fullPage: true });
    await sharer.page.waitForTimeout(1200); // let the seeding panel show the upload
    await sharer.page.screenshot({ path: `${out}/share-${label}.png`, fullPage: true });
    await sharer.page.goto('/#/files');
    await expect(sharer.page.getByTestId('my-file')).toHaveCount(1);
    await sharer.page.screenshot({ path: `${out}/files-${label}.png`, fullPage: true });
    await down.page.getByRole('button', { name: '繁體中文' }).click();
    await expect(down.page.getByTestId('download-complete')).toContainText('下載完成');
    await down.page.screenshot({ path: `${out}/complete-${label}-zh-TW.png`, fullPage: true });
    if (label === 'desktop' && process.env.SCREENSHOT_README) {
      await sharer.page.goto(link);
      await expect(sharer.page.getByTestId('share-qr')).toBeVisible();
      await sharer.page.waitForTimeout(1200);
      await sharer.page.screenshot({ path: 'docs/screenshot.png' });
    }
    await Promise.all([sharer.context.close(), down.context.close()]);
  }
});
