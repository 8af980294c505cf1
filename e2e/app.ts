/**
 * Acting as users of the app: share a file, open a link, read progress and stats from the page
 * (data-testid / aria / data-* attributes only, never console output).
 */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newPeerContext, randomBytes, sha256Hex } from './fixtures';

/** Test-only switches of the app (see src/app/test-flags.ts and docs/TESTING.md). */
export interface Flags {
  tamper?: boolean;
  noSubtle?: boolean;
  forceRelay?: boolean;
  noSavePicker?: boolean;
  uploadLimit?: number;
}

export interface TestFile {
  name: string;
  path: string;
  size: number;
  sha256: string;
}

const dir = mkdtempSync(join(tmpdir(), 'swarmdrop-e2e-'));

/** A random file on disk (written once per name/size/seed). */
export function makeFile(name: string, size: number, seed = 1): TestFile {
  const bytes = randomBytes(size, seed);
  const sub = join(dir, `seed-${seed}`);
  mkdirSync(sub, { recursive: true });
  const path = join(sub, name);
  writeFileSync(path, bytes);
  return { name, path, size, sha256: sha256Hex(bytes) };
}

/** A peer with its own context; `flags` are set before any page script runs (and on every reload). */
export async function newApp(
  browser: Browser,
  baseURL: string,
  flags: Flags = {},
  viewport?: { width: number; height: number },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newPeerContext(browser, baseURL, viewport);
  if (Object.keys(flags).length > 0) {
    await context.addInitScript((f) => localStorage.setItem('swarmdrop.testFlags', f), JSON.stringify(flags));
  }
  const page = await context.newPage();
  return { context, page };
}

/** Opens the home page, shares `file`, resolves to the share link shown. */
export async function share(page: Page, file: TestFile, base = ''): Promise<string> {
  await page.goto(`${base}/`);
  await expect(page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
  await page.locator('input[type=file][data-testid=share-input]').setInputFiles(file.path);
  const link = page.getByTestId('share-link');
  await expect(link).toBeVisible({ timeout: 120_000 });
  return (await link.textContent())!.trim();
}

export async function progress(page: Page): Promise<number> {
  if (await page.getByTestId('download-complete').isVisible()) return 100;
  const bar = page.getByTestId('progress');
  if (!(await bar.isVisible())) return 0;
  return Number(await bar.getAttribute('aria-valuenow'));
}

export async function waitProgress(page: Page, atLeast: number, timeout = 120_000): Promise<number> {
  let p = 0;
  await expect
    .poll(async () => (p = await progress(page)), { timeout, intervals: [100, 200, 250] })
    .toBeGreaterThanOrEqual(atLeast);
  return p;
}

export async function waitComplete(page: Page, timeout = 180_000): Promise<void> {
  await expect(page.getByTestId('download-complete')).toBeVisible({ timeout });
}

/** The SHA-256 the page shows. */
export async function shownSha(page: Page): Promise<string> {
  const el = page.getByTestId('file-sha256');
  await expect(el).toBeVisible();
  return (await el.textContent())!.trim();
}

/** Saves the file through the page's Save button and hashes the bytes that arrive on disk. */
export async function savedSha(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-file').first().click()]);
  const path = await download.path();
  return sha256Hex(readFileSync(path));
}

/** Bytes of verified chunks this page received since it loaded. */
export async function sessionDownloaded(page: Page): Promise<number> {
  return Number((await page.getByTestId('share-view').getAttribute('data-downloaded')) ?? 0);
}

/** Per-neighbor stats from the peer table. */
export async function neighborStats(
  page: Page,
): Promise<Array<{ peer: string; origin: boolean; state: string; downloaded: number; uploaded: number }>> {
  return page.getByTestId('peer-row').evaluateAll((rows) =>
    rows.map((r) => ({
      peer: r.getAttribute('data-peer') ?? '',
      origin: r.getAttribute('data-origin') === 'true',
      state: r.getAttribute('data-state') ?? '',
      downloaded: Number(r.getAttribute('data-downloaded')),
      uploaded: Number(r.getAttribute('data-uploaded')),
    })),
  );
}
