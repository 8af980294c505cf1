import { expect, test } from '@playwright/test';
import { makeFile, newApp, share, shownSha, waitComplete } from './app';
import { newPeer } from './fixtures';
import { announcedSwarm, swarmIdOnlyClient, type PeerOutcome } from './swarm-id-only';

const HELLO = { bytes: 34, first: 0xa1 };
const PROOF = { bytes: 33, first: 0xa2 };

/** What arrived, as (channel, length, first byte). */
const shapes = (o: PeerOutcome) => o.received.map((r) => ({ channel: r.channel, bytes: r.bytes, first: r.first }));

test('a client that knows only the swarm id connects, and gets the auth exchange only: no chunk, no metadata, no ciphertext', async ({
  browser,
  baseURL,
}) => {
  const file = makeFile('private-256k.bin', 256 * 1024, 16);
  const sharer = await newApp(browser, baseURL!);
  const swarmOf = announcedSwarm(sharer.page);
  const link = await share(sharer.page, file);
  const swarm = swarmOf();
  expect(swarm).toMatch(/^[A-Za-z0-9_-]{43}$/);

  // A page of the app's origin (the tracker checks the Origin), without the app running in it.
  const attacker = await newPeer(browser, baseURL!);
  await attacker.goto('/healthz');

  // 1. It runs the exchange with a key it made up, and pushes bytes on the chunk channel early.
  const [forger] = await swarmIdOnlyClient(attacker, swarm!, 'wrong-key', 30_000);
  expect(forger?.opened).toBe(true); // the WebRTC handshake completed
  expect(shapes(forger!)).toEqual([
    { channel: 'simple-peer', ...HELLO },
    { channel: 'simple-peer', ...PROOF },
  ]);
  expect(forger?.closed).toBe(true);

  // 2. It stays silent: the sharer's hello only, then closed at the auth timeout. It stays in the
  // swarm afterwards (one who left is no longer "trying to reach you").
  const [mute] = await swarmIdOnlyClient(attacker, swarm!, 'silent', 30_000, true);
  expect(mute?.opened).toBe(true);
  expect(shapes(mute!)).toEqual([{ channel: 'simple-peer', ...HELLO }]);
  expect(mute?.closed).toBe(true);

  // The sharer shows why those people could not connect.
  const notice = sharer.page.getByTestId('unreachable');
  await expect(notice).toHaveAttribute('data-failure', 'not-holder');
  await expect(notice).toHaveAttribute('data-not-holders', '2');
  await expect(notice).toContainText('not holders of this link');
  await attacker.close();

  // The control: the sharer was serving all along; a holder of the link gets the file.
  const holder = await newApp(browser, baseURL!);
  await holder.page.goto(link);
  await waitComplete(holder.page);
  expect(await shownSha(holder.page)).toBe(file.sha256);
});
