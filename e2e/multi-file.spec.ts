import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { makeFile, newApp } from './app';
import { sha256Hex } from './fixtures';

const KiB = 1024;

test('several files in one share: names, sizes, each file saved whole with its own SHA-256', async ({
  browser,
  baseURL,
}) => {
  // Sizes chosen so files start and end inside chunks (256 KiB).
  const files = [
    makeFile('a.bin', 300 * KiB + 7, 201),
    makeFile('b.txt', 1 * KiB, 202),
    makeFile('c.bin', 700 * KiB, 203),
  ];
  const sharer = await newApp(browser, baseURL!);
  await sharer.page.goto('/');
  await expect(sharer.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
  await sharer.page.locator('input[type=file][data-testid=share-input]').setInputFiles(files.map((f) => f.path));
  const link = (await sharer.page.getByTestId('share-link').textContent())!.trim();

  const down = await newApp(browser, baseURL!);
  await down.page.goto(link);
  await expect(down.page.getByTestId('download-complete')).toBeVisible({ timeout: 120_000 });
  await expect(down.page.getByTestId('file-sha256')).toHaveText(files.map((f) => f.sha256));
  for (let i = 0; i < files.length; i++) {
    const [download] = await Promise.all([
      down.page.waitForEvent('download'),
      down.page.getByTestId('save-file').nth(i).click(),
    ]);
    expect(download.suggestedFilename()).toBe(files[i]!.name);
    expect(sha256Hex(readFileSync(await download.path()))).toBe(files[i]!.sha256);
  }
  await Promise.all([sharer.context.close(), down.context.close()]);
});
