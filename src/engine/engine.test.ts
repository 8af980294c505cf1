import { describe, expect, it } from 'vitest';
import { TestSwarm, firstDifference, pseudoRandomBytes, makeShare } from './testing/test-swarm';

const KiB = 1024;

describe('SwarmEngine over held byte transports', () => {
  it('one sharer and five downloaders finish with identical bytes', async () => {
    const content = pseudoRandomBytes(1024 * KiB + 1234, 7);
    const share = await makeShare(content, 64 * KiB);
    const swarm = new TestSwarm({ seed: 1 });
    await swarm.addPeer('S', share, { seeder: true, content });
    const ids = ['A', 'B', 'C', 'D', 'E'];
    for (const id of ids) await swarm.addPeer(id, share);
    swarm.connectAll(['S', ...ids]);
    expect(await swarm.runUntil(() => swarm.allComplete(ids))).toBe(true);
    for (const id of ids) expect(firstDifference(await swarm.contentOf(id, share.metadata), content)).toBe(-1);
    // Downloaders traded with each other, not only with the sharer.
    const fromPeers = ids.flatMap((id) => swarm.events.get(id)!).filter((e) => e.type === 'chunk' && e.from !== 'S');
    expect(fromPeers.length).toBeGreaterThan(0);
    swarm.destroy();
  });
});
