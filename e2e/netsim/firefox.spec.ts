import { expect } from '@playwright/test';
import { share } from '../app';
import { expectReceived, makeFile, openLink, routeTo, routes, test } from './people';
import { foxOpen, foxPage, foxReceived, foxRouteToSharer, foxRoutes, foxShare } from './firefox-people';

const MiB = 1024 * 1024;

// A second WebRTC stack: Chromium and Debian's firefox-esr on one LAN, each on its own machine.
// Firefox gathers no candidate on loopback only, so it can't be in the e2e tests' namespace; here
// it has a veth address like any machine. Plain http origin, as for a real user: no crypto.subtle,
// no showSaveFilePicker, and Firefox can't transfer a data channel to the worker (the app relays
// the channel's bytes to it instead).
test('Chromium and Firefox share with each other on a LAN, both ways', async ({ net }) => {
  const lan = net.segment('lan');
  const server = net.machine('teacher', lan, '10.0.0.1/24', '10.0.0.254');
  const chromiumHost = net.machine('chrome', lan, '10.0.0.11/24', '10.0.0.254');
  const firefoxHost = net.machine('fox', lan, '10.0.0.12/24', '10.0.0.254');
  const origin = await net.appServer(server); // the built-in STUN server too: stun:10.0.0.1:8080
  const [chromium, fox] = await Promise.all([net.browser(chromiumHost), net.firefox(firefoxHost)]);
  expect(await fox.browser.version()).toMatch(/firefox/i);

  await test.step('Chromium shares, Firefox downloads', async () => {
    const file = makeFile('to-firefox-3m.bin', 3 * MiB + 12_345, 171);
    const sharer = await (await chromium.newContext({ acceptDownloads: true })).newPage();
    const link = await share(sharer, file, origin);
    const downloader = await foxOpen(fox, link);
    expect(await foxReceived(downloader, fox, file, 60_000)).toEqual({ shown: file.sha256, saved: file.sha256 });
    // The page reads the selected pair again 5 s after connecting (ICE may still switch pairs).
    await expect
      .poll(async () => JSON.stringify(await foxRouteToSharer(downloader)), { timeout: 15_000 })
      .toContain('"route":"lan"');
    expect(await routes(sharer)).toContain('lan');
  });

  await test.step('Firefox shares, Chromium downloads', async () => {
    const file = makeFile('from-firefox-2m.bin', 2 * MiB + 777, 172);
    const sharer = await foxPage(fox);
    const link = await foxShare(sharer, file, origin);
    const downloader = await openLink(chromium, link);
    await expectReceived(downloader, file, 60_000);
    expect((await routeTo(downloader)).route).toBe('lan');
    await expect.poll(() => foxRoutes(sharer), { timeout: 15_000 }).toContain('lan');
  });
});
