/**
 * A peer in a browser of its own with an on-disk profile (`launchPersistentContext`), for tests
 * that move gigabytes: the shared `browser.newContext()` contexts are off the record, and Chromium
 * keeps their IndexedDB, OPFS and Blobs in memory, so a 2 GiB share would live in RAM, not on disk
 * as it does for a user.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, LOOPBACK_WEBRTC_ARG } from './chromium-args';
import type { Flags } from './app';

export interface OwnBrowser {
  context: BrowserContext;
  page: Page;
}

/** A Chromium with its profile in `profileDir`; downloads go to `downloadsDir`. */
export async function ownBrowser(
  baseURL: string,
  profileDir: string,
  downloadsDir: string,
  flags: Flags = {},
): Promise<OwnBrowser> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, LOOPBACK_WEBRTC_ARG],
    baseURL,
    acceptDownloads: true,
    downloadsPath: downloadsDir,
    viewport: { width: 1280, height: 800 },
  });
  // As in e2e/fixtures.ts: without the grant Chromium gathers no loopback ICE candidate.
  await context.grantPermissions(['camera', 'microphone'], { origin: baseURL });
  if (Object.keys(flags).length > 0)
    await context.addInitScript((f) => localStorage.setItem('swarmdrop.testFlags', f), JSON.stringify(flags));
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}
