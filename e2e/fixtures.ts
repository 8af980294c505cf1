import type { Browser, BrowserContext, Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { pseudoRandomBytes } from '../src/engine';

/**
 * A new peer: its own browser context (own IndexedDB), with camera and microphone granted for the
 * app's origins. The app never asks for them; Chromium only gathers a loopback ICE candidate when
 * they are granted (see docs/TESTING.md).
 */
export async function newPeerContext(
  browser: Browser,
  baseURL: string,
  viewport = { width: 1280, height: 800 },
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const port = new URL(baseURL).port;
  // Chromium refuses the grant for insecure origins such as http://classroom.test (see docs/TESTING.md).
  for (const origin of [baseURL, `http://localhost:${port}`]) {
    await context.grantPermissions(['camera', 'microphone'], { origin });
  }
  return context;
}

export async function newPeer(browser: Browser, baseURL: string): Promise<Page> {
  return (await newPeerContext(browser, baseURL)).newPage();
}

/** The project's one content generator (seeded, so a failing run can be reproduced), as a Buffer for Playwright. */
export function randomBytes(size: number, seed = 1): Buffer {
  const bytes = pseudoRandomBytes(size, seed);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function sha256Hex(data: Buffer | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
