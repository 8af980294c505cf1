import { expect, test } from '@playwright/test';
import { makeFile, savedSha, share, shownSha, waitComplete } from './app';
import { startOwnServer, type OwnServer } from './own-server';

const MiB = 1024 * 1024;

// http://classroom.test:PORT (mapped to 127.0.0.1 by --host-resolver-rules) is NOT a secure
// context: no crypto.subtle, no showSaveFilePicker, and Chromium refuses the camera/microphone grant
// that makes it gather loopback host candidates. The STUN server built into `npm start` (listed
// first in /config.json) gives each peer a 127.0.0.1 server-reflexive candidate instead, so every
// packet stays on loopback. See docs/TESTING.md.
test('7: the app used from an insecure http origin completes (JS SHA-256, Blob saving)', async ({ browser }) => {
  let server: OwnServer | undefined;
  try {
    server = await startOwnServer();
    const origin = `http://classroom.test:${server.port}`;
    const file = makeFile('insecure-2mib.bin', 2 * MiB, 77);
    const a = await browser.newContext({ acceptDownloads: true });
    const b = await browser.newContext({ acceptDownloads: true });
    const sharer = await a.newPage();
    const downloader = await b.newPage();
    await sharer.goto(`${origin}/`);
    expect(await sharer.evaluate(() => ({ secure: isSecureContext, subtle: !!globalThis.crypto?.subtle }))).toEqual({
      secure: false,
      subtle: false,
    });
    await expect(sharer.getByTestId('app')).toHaveAttribute('data-hasher', 'js');
    const link = await share(sharer, file, origin);
    expect(link.startsWith(`${origin}/#/d/`)).toBe(true);
    await downloader.goto(link);
    await waitComplete(downloader);
    expect(await shownSha(downloader)).toBe(file.sha256);
    expect(await savedSha(downloader)).toBe(file.sha256);
    await Promise.all([a.close(), b.close()]);
  } finally {
    await server?.stop();
  }
});
