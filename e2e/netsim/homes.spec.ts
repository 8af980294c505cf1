import { expect } from '@playwright/test';
import type { Topology } from './topology';
import { expectCannotConnect, expectReceived, makeFile, routeTo, shareBetween, test } from './people';

const KiB = 1024;

// Two friends, each behind a home router doing source NAT with port preservation (Linux
// MASQUERADE), the Swarmdrop server on the "internet" (203.0.113.0/24, a documentation range that
// exists only inside the test's namespace).
function homes(net: Topology) {
  const wan = net.segment('wan');
  const home1 = net.segment('home1');
  const home2 = net.segment('home2');
  const server = net.machine('server', wan, '203.0.113.1/24');
  net.router('r1', home1, '192.168.1.1/24', wan, '203.0.113.11/24', 'port-preserving');
  net.router('r2', home2, '192.168.2.1/24', wan, '203.0.113.12/24', 'port-preserving');
  const alice = net.machine('alice', home1, '192.168.1.2/24', '192.168.1.1');
  const bob = net.machine('bob', home2, '192.168.2.2/24', '192.168.2.1');
  return { server, alice, bob };
}

test.describe('two homes behind NAT', () => {
  test('without STUN: fails, and both sides are told a relay is what is missing', async ({ net }) => {
    const { server, alice, bob } = homes(net);
    const origin = await net.appServer(server, { STUN_PORT: '0' });
    const file = makeFile('homes-nostun.bin', 256 * KiB, 151);
    const { sharer, downloader } = await shareBetween(net, alice, bob, origin, file);
    await expectCannotConnect(downloader, sharer.page, 'needs-relay');
  });

  test('with the built-in STUN: completes, hole-punched', async ({ net }) => {
    const { server, alice, bob } = homes(net);
    const origin = await net.appServer(server);
    const file = makeFile('homes-stun.bin', 384 * KiB, 152);
    const { sharer, downloader } = await shareBetween(net, alice, bob, origin, file);
    await expectReceived(downloader, file);
    const seen = await routeTo(downloader);
    expect(seen.route).toBe('nat');
    expect(seen.local).not.toBe('relay');
    expect(seen.remote).not.toBe('relay');
    expect((await routeTo(sharer.page, 'any')).route).toBe('nat');
  });
});
