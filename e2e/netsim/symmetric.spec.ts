import { expect } from '@playwright/test';
import type { Topology } from './topology';
import { expectCannotConnect, expectReceived, makeFile, relayOnlyPage, routeTo, shareBetween, test } from './people';
import { share } from '../app';

const KiB = 1024;
const SECRET = 'netsim-turn-secret';

// Both friends behind symmetric NAT (a new random public port per destination): what the STUN
// server saw is useless to the other peer, so only a relay works.
function symmetricHomes(net: Topology) {
  const wan = net.segment('wan');
  const home1 = net.segment('home1');
  const home2 = net.segment('home2');
  const server = net.machine('server', wan, '203.0.113.1/24');
  const turn = net.machine('turn', wan, '203.0.113.2/24');
  net.router('r1', home1, '192.168.1.1/24', wan, '203.0.113.11/24', 'symmetric');
  net.router('r2', home2, '192.168.2.1/24', wan, '203.0.113.12/24', 'symmetric');
  const alice = net.machine('alice', home1, '192.168.1.2/24', '192.168.1.1');
  const bob = net.machine('bob', home2, '192.168.2.2/24', '192.168.2.1');
  return { server, turn, alice, bob };
}

test.describe('symmetric NAT on both sides', () => {
  test('STUN alone: fails, and says a relay is what is missing', async ({ net }) => {
    const { server, alice, bob } = symmetricHomes(net);
    const origin = await net.appServer(server);
    const file = makeFile('sym-stun.bin', 256 * KiB, 161);
    const { sharer, downloader } = await shareBetween(net, alice, bob, origin, file);
    await expectCannotConnect(downloader, sharer.page, 'needs-relay');
  });

  test('with coturn (short-lived credentials): completes relayed on both ends; the relay carried the bytes', async ({
    net,
  }) => {
    const { server, turn, alice, bob } = symmetricHomes(net);
    const turnUrl = await net.coturn(turn, SECRET);
    net.countBytes(turn);
    const origin = await net.appServer(server, { TURN_URLS: turnUrl, TURN_SECRET: SECRET, TURN_TTL: '600' });
    // The secret never reaches a browser; the credential is the REST scheme's.
    const sharerPageHandle = await relayOnlyPage(await net.browser(alice), origin);
    const config = await sharerPageHandle.evaluate(() => fetch('/config.json').then((r) => r.text()));
    expect(config).not.toContain(SECRET);
    // `turn:host:3478` (no transport, as DEPLOY.md writes it) is offered over UDP and TCP.
    expect(JSON.parse(config).iceServers[1]).toMatchObject({
      urls: [`${turnUrl}?transport=udp`, `${turnUrl}?transport=tcp`],
      username: expect.stringMatching(/^\d+:/),
    });

    const file = makeFile('sym-turn-768k.bin', 768 * KiB, 162);
    const link = await share(sharerPageHandle, file, origin);
    const downloader = await relayOnlyPage(await net.browser(bob), origin);
    await downloader.goto(link);
    await expectReceived(downloader, file);
    expect(await routeTo(downloader)).toEqual({ route: 'relay', local: 'relay', remote: 'relay' });
    expect((await routeTo(sharerPageHandle, 'any')).route).toBe('relay');
    expect(net.receivedBytes(turn)).toBeGreaterThan(file.size);
  });

  test('UDP to the relay blocked (a network that lets only TCP out): completes through TURN over TCP', async ({
    net,
  }) => {
    const { server, turn, alice, bob } = symmetricHomes(net);
    const turnUrl = await net.coturn(turn, SECRET);
    net.dropUdpTo(turn, 3478);
    net.countBytes(turn, 'tcp');
    const origin = await net.appServer(server, { TURN_URLS: turnUrl, TURN_SECRET: SECRET, TURN_TTL: '600' });
    const file = makeFile('sym-turn-tcp-512k.bin', 512 * KiB, 163);
    const sharer = await relayOnlyPage(await net.browser(alice), origin);
    const link = await share(sharer, file, origin);
    const downloader = await relayOnlyPage(await net.browser(bob), origin);
    await downloader.goto(link);
    await expectReceived(downloader, file);
    expect(await routeTo(downloader)).toEqual({ route: 'relay', local: 'relay', remote: 'relay' });
    // Each browser reached coturn only over TCP (UDP 3478 is dropped), and the file went that way.
    expect(net.receivedBytes(turn, 'tcp')).toBeGreaterThan(file.size);
  });
});
