/**
 * What the netsim specs do as users: a sharer shares a file from its own Chromium, downloaders
 * open the link from theirs (plain contexts: no camera/microphone grant, as a real user on an
 * http:// origin), and the test reads what each page shows: SHA-256, neighbor rows (with the
 * connection type and the selected pair's candidate types) and the "can't connect" notices.
 */
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { makeFile, savedSha, share, shownSha, waitComplete, type TestFile } from '../app';
import { Topology, type Machine } from './topology';

export { makeFile, type TestFile };

export interface Route {
  route: string;
  local: string;
  remote: string;
}

export async function sharerPage(
  browser: Browser,
  origin: string,
  file: TestFile,
): Promise<{ page: Page; link: string }> {
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  const link = await share(page, file, origin);
  return { page, link };
}

export async function openLink(browser: Browser, link: string): Promise<Page> {
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await page.goto(link);
  return page;
}

/** `from` shares `file` on `origin` in its own Chromium; `to` opens the link in its own. */
export async function shareBetween(
  net: Topology,
  from: Machine,
  to: Machine,
  origin: string,
  file: TestFile,
): Promise<{ sharer: { page: Page; link: string }; downloader: Page }> {
  const sharer = await sharerPage(await net.browser(from), origin, file);
  const downloader = await openLink(await net.browser(to), sharer.link);
  return { sharer, downloader };
}

/** Playwright's `test` with a fresh `net` (a Topology) per test, torn down after it. */
export const test = base.extend<{ net: Topology }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function asks for from its first parameter
  net: async ({}, use) => {
    const net = new Topology();
    try {
      await use(net);
    } finally {
      await net.close();
    }
  },
});

/** Waits for completion and checks the SHA-256 the page shows and the bytes it saves. */
export async function expectReceived(page: Page, file: TestFile, timeout = 120_000): Promise<void> {
  await waitComplete(page, timeout);
  expect(await shownSha(page)).toBe(file.sha256);
  expect(await savedSha(page)).toBe(file.sha256);
}

/** The connection type of the neighbor row `which` (the sharer's row, or any first row). */
export async function routeTo(page: Page, which: 'sharer' | 'any' = 'sharer'): Promise<Route> {
  const row = page.locator(`[data-testid=peer-row]${which === 'sharer' ? '[data-origin=true]' : ''}`).first();
  await expect(row).not.toHaveAttribute('data-route', '');
  return {
    route: (await row.getAttribute('data-route'))!,
    local: (await row.getAttribute('data-local-candidate'))!,
    remote: (await row.getAttribute('data-remote-candidate'))!,
  };
}

/** Every neighbor row's connection type. */
export async function routes(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid=peer-row]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-route') ?? ''));
}

/** Ticks "Relay only" on the home page (kept in localStorage), as a user who hides their IP would. */
export async function relayOnlyPage(browser: Browser, origin: string): Promise<Page> {
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await page.goto(`${origin}/`);
  await page.getByTestId('relay-only').check();
  return page;
}

/** The downloader's notice and the sharer's, once the connection has failed (20 s timeout). */
export async function expectCannotConnect(downloader: Page, sharer: Page, failure: string): Promise<void> {
  const notice = downloader.getByTestId('problem-connect-failed');
  await expect(notice).toBeVisible({ timeout: 60_000 });
  await expect(notice).toHaveAttribute('data-failure', failure);
  await expect(downloader.getByTestId('deploy-doc-link')).toBeVisible();
  const unreachable = sharer.getByTestId('unreachable');
  await expect(unreachable).toHaveAttribute('data-count', '1', { timeout: 60_000 });
  await expect(unreachable).toHaveAttribute('data-failure', failure);
}
