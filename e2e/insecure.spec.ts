import { expect, test } from '@playwright/test';
import { makeFile, savedSha, share, shownSha, waitComplete } from './app';
import { freePort, startOwnServer, type OwnServer } from './own-server';

const MiB = 1024 * 1024;

// http://classroom.test:PORT (mapped to 127.0.0.1 by --host-resolver-rules) is NOT a secure
// context: no crypto.subtle, no showSaveFilePicker, and Chromium refuses the camera/microphone grant
// that makes it gather loopback host candidates. The STUN server built into `npm start` (listed
// first in /config.json) gives each peer a 127.0.0.1 server-reflexive candidate instead, so every
// packet stays on loopback. See docs/TESTING.md.
test('7: the app used from an insecure http origin completes (JS SHA-256, Blob saving)', async ({ browser }) => {
  let server: OwnServer | undefined;
  try {
    // The built-in STUN server (same port number as HTTP). Chromium resolves a STUN host name with
    // the system resolver, which does not know classroom.test, so its public URL is set as a
    // deployment behind a proxy would.
    const port = await freePort();
    server = await startOwnServer({ STUN_PUBLIC_URL: `stun:127.0.0.1:${port}` }, port);
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
    expect(link.startsWith(`${origin}/#/s/`)).toBe(true);
    await downloader.goto(link);
    await waitComplete(downloader);
    expect(await shownSha(downloader)).toBe(file.sha256);
    expect(await savedSha(downloader)).toBe(file.sha256);
    // No host candidate on an insecure origin: the pair is STUN-learned 127.0.0.1, i.e. the LAN.
    const row = downloader.locator('[data-testid=peer-row][data-origin=true]');
    await expect(row).toHaveAttribute('data-route', 'lan');
    await expect(row).toHaveAttribute('data-local-candidate', /srflx|prflx/);
    await Promise.all([a.close(), b.close()]);
  } finally {
    await server?.stop();
  }
});
