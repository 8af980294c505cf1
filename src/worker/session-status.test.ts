/** The neighbors a share's status lists: only peers that answered the handshake. */
import 'fake-indexeddb/auto';
import { createStore } from 'idb-keyval';
import { expect, it } from 'vitest';
import { createTransportPair, type HeldEnd } from '../engine/testing/held-pair';
import { TestSwarm, makeContent, makeShare } from '../engine/testing/test-swarm';
import { toBase64Url } from './base64url';
import { ShareSession } from './session';
import { ShareRecords } from './share-records';

it('a connection attempt that never handshakes is not listed; a handshaken neighbor is', async () => {
  const content = makeContent(64 * 1024, 3);
  const share = await makeShare(content, 16 * 1024);
  const swarm = new TestSwarm({ seed: 2 });
  const seeder = await swarm.addPeer('S', share, { seeder: true, content });
  const swarmId = toBase64Url(share.infoHash);
  const session = await ShareSession.start(
    { summary: { swarmId, hasMetadata: false, name: '', files: [], totalSize: 0, chunkSize: 0, chunkCount: 0, role: 'download', createdAt: 0, haveChunks: 0, complete: false } },
    share.infoHash,
    {
      records: new ShareRecords(createStore('status-records', 'shares')),
      chunkDb: createStore('status-chunks', 'chunks'),
      hasher: swarm.hasher,
      clock: swarm.clock,
      localPeerId: 'D',
      flags: {},
      emit: () => undefined,
    },
  );
  // A link whose far end never speaks (a WebRTC channel that never opened).
  const [silent] = createTransportPair();
  session.addPeer('X', silent);
  await swarm.flush();
  expect(session.status().neighbors).toEqual([]);

  const [toSession, toSeeder] = createTransportPair();
  seeder.addPeer('D', toSession);
  session.addPeer('S', toSeeder);
  swarm.links.push({ a: 'S', b: 'D', ends: [toSession, toSeeder] as [HeldEnd<unknown>, HeldEnd<unknown>] });
  expect(await swarm.runUntil(() => session.status().neighbors.some((n) => n.peerId === 'S'))).toBe(true);
  expect(session.status().neighbors.map((n) => [n.peerId, n.state])).toEqual([['S', 'active']]);
  swarm.destroy();
});
