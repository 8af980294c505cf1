/**
 * Every drop the engine decides on must reach the page as `peer-closed`, so that the page closes
 * the WebRTC connection and frees the neighbor slot; a close that came from the link itself must
 * not (the page already knows, and may have connected again under the same key).
 */
import { describe, expect, it } from 'vitest';
import { seederAndSession } from './testing/seeder-and-session';

async function setup(remote: { tamper?: boolean } = {}) {
  const setup = await seederAndSession(remote);
  const closed = () => setup.events.filter((e) => e.type === 'peer-closed');
  return { ...setup, closed };
}

describe('ShareSession tells the page to close a neighbor the engine dropped', () => {
  it('a banned neighbor: peer-banned, then peer-closed; connecting it again is refused the same way', async () => {
    const { swarm, events, swarmId, connect, closed } = await setup({ tamper: true });
    connect();
    expect(await swarm.runUntil(() => closed().length > 0)).toBe(true);
    const banned = events.findIndex((e) => e.type === 'peer-banned');
    const close = events.findIndex((e) => e.type === 'peer-closed');
    expect(banned).toBeGreaterThanOrEqual(0);
    expect(close).toBeGreaterThan(banned);
    expect(closed()).toEqual([{ type: 'peer-closed', swarmId, peerId: 'S' }]);

    const again = connect();
    expect(again.toSeeder.isClosed).toBe(true);
    expect(closed()).toHaveLength(2);
    swarm.destroy();
  });

  it('a neighbor that broke the protocol: peer-closed', async () => {
    const { swarm, swarmId, connect, closed } = await setup();
    const { toSession } = connect();
    await swarm.flush();
    toSession.injectToOther(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]));
    await swarm.flush();
    expect(closed()).toEqual([{ type: 'peer-closed', swarmId, peerId: 'S' }]);
    swarm.destroy();
  });

  it('a neighbor idle past the engine timeout: peer-closed', async () => {
    const { swarm, swarmId, connect, closed } = await setup();
    connect();
    await swarm.flush();
    // Nothing more arrives from the seeder: its messages are held, never delivered.
    swarm.links = [];
    for (let i = 0; i < 600 && closed().length === 0; i++) {
      swarm.clock.advance(1_000);
      await swarm.flush();
    }
    expect(closed()).toEqual([{ type: 'peer-closed', swarmId, peerId: 'S' }]);
    swarm.destroy();
  });

  it('the session stops (e.g. the disk is full): every neighbor, and any added later, is closed', async () => {
    const { swarm, session, swarmId, connect, closed } = await setup();
    connect();
    await swarm.flush();
    session.stop();
    expect(closed()).toEqual([{ type: 'peer-closed', swarmId, peerId: 'S' }]);
    connect();
    expect(closed()).toHaveLength(2);
    swarm.destroy();
  });

  it('stopped for a new round of the same share (classroom): the connections stay for the next engine', async () => {
    const { swarm, session, connect, closed } = await setup();
    const { toSession } = connect();
    await swarm.flush();
    session.stop(true);
    await swarm.flush();
    expect(toSession.isClosed).toBe(true); // the old engine's channel is closed
    expect(closed()).toEqual([]); // but not the page's connection
    swarm.destroy();
  });

  it('not when the link itself closed (the page closed it, or the neighbor left)', async () => {
    const { swarm, session, events, connect, closed } = await setup();
    connect();
    expect(await swarm.runUntil(() => session.share.complete)).toBe(true);
    swarm.disconnect('S', 'D');
    await swarm.flush();
    expect(events.some((e) => e.type === 'share' && e.share.complete)).toBe(true);
    expect(session.swarmEngine.peerIds()).toEqual([]); // the engine did drop it
    expect(closed()).toEqual([]);
    swarm.destroy();
  });
});
