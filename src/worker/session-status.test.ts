/** The neighbors a share's status lists: only peers that answered the handshake. */
import { expect, it } from 'vitest';
import { createTransportPair } from '../engine/testing/index';
import { seederAndSession } from './testing/seeder-and-session';

it('a connection attempt that never handshakes is not listed; a handshaken neighbor is', async () => {
  const { swarm, session, connect } = await seederAndSession();
  // A link whose far end never speaks (a WebRTC channel that never opened).
  const [silent] = createTransportPair();
  session.addPeer('X', silent);
  await swarm.flush();
  expect(session.status().neighbors).toEqual([]);

  connect();
  expect(await swarm.runUntil(() => session.status().neighbors.some((n) => n.peerId === 'S'))).toBe(true);
  expect(session.status().neighbors.map((n) => [n.peerId, n.state])).toEqual([['S', 'active']]);
  swarm.destroy();
});
