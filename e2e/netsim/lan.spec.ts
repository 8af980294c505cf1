import { expect } from '@playwright/test';
import { expectReceived, makeFile, routeTo, shareBetween, test } from './people';

const KiB = 1024;

// A classroom on one switch, no internet: the teacher's laptop runs `npm start` and everyone opens
// http://10.0.0.1:8080 (an insecure origin: no camera grant, so no plain host candidates).
test.describe('a LAN with no internet', () => {
  test('with mDNS working: direct on the LAN, no STUN needed', async ({ net }) => {
    const lan = net.segment('lan');
    // A default route that leads nowhere (no internet), as on a school Wi-Fi: Chromium gathers
    // host candidates on the interface it routes through.
    const server = net.machine('teacher', lan, '10.0.0.1/24', '10.0.0.254');
    const a = net.machine('alice', lan, '10.0.0.11/24', '10.0.0.254');
    const b = net.machine('bob', lan, '10.0.0.12/24', '10.0.0.254');
    const origin = await net.appServer(server, { STUN_PORT: '0' });
    const file = makeFile('lan-384k.bin', 384 * KiB, 141);
    const { sharer, downloader } = await shareBetween(net, a, b, origin, file);
    await expectReceived(downloader, file);
    const seen = await routeTo(downloader);
    expect(seen.route).toBe('lan');
    expect(seen.local).toBe('host');
    // The remote's first connectivity check can arrive before its mDNS name resolves; the pair
    // then names it peer-reflexive, learned from that check: the same host address, no STUN.
    expect(['host', 'prflx']).toContain(seen.remote);
    expect((await routeTo(sharer.page, 'any')).route).toBe('lan');
  });

  test('with mDNS dropped and no default route: direct through the built-in STUN server', async ({ net }) => {
    const lan = net.segment('lan');
    const server = net.machine('teacher', lan, '10.0.0.1/24');
    const a = net.machine('alice', lan, '10.0.0.11/24');
    const b = net.machine('bob', lan, '10.0.0.12/24');
    for (const m of [server, a, b]) net.dropMdns(m);
    const origin = await net.appServer(server); // STUN on UDP 8080, listed as stun:10.0.0.1:8080
    const file = makeFile('lan-stun-384k.bin', 384 * KiB, 142);
    const { sharer, downloader } = await shareBetween(net, a, b, origin, file);
    await expectReceived(downloader, file);
    const seen = await routeTo(downloader);
    expect(seen.route).toBe('lan');
    // No host candidate on this origin: each side knows its address only from the STUN server.
    expect(['srflx', 'prflx']).toContain(seen.local);
    expect(['srflx', 'prflx']).toContain((await routeTo(sharer.page, 'any')).local);
  });
});
