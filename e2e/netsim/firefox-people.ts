/**
 * The netsim users' steps (people.ts) for a Firefox peer, written against puppeteer-core's API
 * (Topology.firefox): each peer is its own browser context (its own IndexedDB), and the test reads
 * the same data-testid / data-* attributes of the page as with Chromium.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { Route } from './people';
import type { TestFile } from '../app';

export interface FirefoxPeer {
  browser: Browser;
  downloadDir: string;
}

export async function foxPage(fox: FirefoxPeer): Promise<Page> {
  return (await fox.browser.createBrowserContext()).newPage();
}

/** Opens the home page, shares `file`, resolves to the link once the copy into storage is done. */
export async function foxShare(page: Page, file: TestFile, origin: string): Promise<string> {
  await page.goto(`${origin}/`);
  await page.waitForSelector('[data-testid=tracker-status][data-status=open]', { timeout: 30_000 });
  const input = await page.waitForSelector('input[type=file][data-testid=share-input]');
  await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(file.path);
  const link = await page.waitForSelector('[data-testid=share-link]', { visible: true, timeout: 60_000 });
  await page.waitForSelector('[data-testid=share-copy][data-state=copied]', { timeout: 60_000 });
  return (await link!.evaluate((el) => el.textContent ?? '')).trim();
}

export async function foxOpen(fox: FirefoxPeer, link: string): Promise<Page> {
  const page = await foxPage(fox);
  await page.goto(link);
  return page;
}

/**
 * Waits for completion; resolves to the SHA-256 the page shows and the one of the bytes the Save
 * button puts in Firefox's download folder (a Blob download: Firefox has no showSaveFilePicker).
 */
export async function foxReceived(
  page: Page,
  fox: FirefoxPeer,
  file: TestFile,
  timeout: number,
): Promise<{ shown: string; saved: string }> {
  await page.waitForSelector('[data-testid=download-complete]', { visible: true, timeout });
  // The SHA-256 of the whole file shows once it is hashed (JS SHA-256 on a plain-http origin).
  const sha = await page.waitForSelector('[data-testid=file-sha256]', { visible: true, timeout: 30_000 });
  const shown = (await sha!.evaluate((el) => el.textContent ?? '')).trim();
  await page.click('[data-testid=save-file]');
  const path = join(fox.downloadDir, file.name);
  const deadline = Date.now() + 30_000;
  // Firefox writes `name.part` beside an empty `name` and moves it there when the download is done.
  const done = () => existsSync(path) && !existsSync(`${path}.part`) && statSync(path).size === file.size;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`no download of ${file.name} in ${fox.downloadDir}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { shown, saved: createHash('sha256').update(readFileSync(path)).digest('hex') };
}

/** The connection type of the sharer's neighbor row, once it is known. */
export async function foxRouteToSharer(page: Page): Promise<Route> {
  const row = '[data-testid=peer-row][data-origin=true]';
  await page.waitForFunction(
    (sel) => !!document.querySelector(sel)?.getAttribute('data-route'),
    { timeout: 30_000 },
    row,
  );
  return page.$eval(row, (r) => ({
    route: r.getAttribute('data-route') ?? '',
    local: r.getAttribute('data-local-candidate') ?? '',
    remote: r.getAttribute('data-remote-candidate') ?? '',
  }));
}

/** Every neighbor row's connection type. */
export async function foxRoutes(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid=peer-row]', (rows) => rows.map((r) => r.getAttribute('data-route') ?? ''));
}
