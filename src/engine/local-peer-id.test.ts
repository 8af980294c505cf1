import { describe, expect, it } from 'vitest';
import { EngineConfigError } from './config';
import type { SwarmEngine } from './engine';
import { createTransportPair, type HeldEnd } from './testing/held-pair';
import { TestSwarm, firstDifference, pseudoRandomBytes, makeShare } from './testing/test-swarm';

const KiB = 1024;

/** Links `a` (which knows the other side as `bAs`) and `b` (which knows it as `aAs`). */
function link(swarm: TestSwarm, a: SwarmEngine, bAs: string, b: SwarmEngine, aAs: string): void {
  const [ta, tb] = createTransportPair();
  a.addPeer(bAs, ta);
  b.addPeer(aAs, tb);
  swarm.links.push({ a: aAs, b: bAs, ends: [ta, tb] as [HeldEnd<unknown>, HeldEnd<unknown>] });
}

const chunksOf = (swarm: TestSwarm, id: string): number =>
  swarm.events.get(id)!.filter((e) => e.type === 'chunk').length;

describe('SwarmEngine.setLocalPeerId (the tracker gave this page a new id)', () => {
  it('keeps existing links transferring and handshakes with the new id on new links', async () => {
    const content = pseudoRandomBytes(512 * KiB, 11);
    const share = await makeShare(content, 32 * KiB);
    const swarm = new TestSwarm({ seed: 3 });
    const sharer = await swarm.addPeer('S', share, { seeder: true, content, config: { upBytesPerSec: 64 * KiB } });
    await swarm.addPeer('A', share);
    swarm.connect('S', 'A');
    expect(await swarm.runUntil(() => chunksOf(swarm, 'A') >= 3)).toBe(true);
    expect(swarm.allComplete(['A'])).toBe(false);

    sharer.setLocalPeerId('S-new');
    expect(sharer.localPeerId).toBe('S-new');
    expect(sharer.snapshot().localPeerId).toBe('S-new');

    // A newcomer that learned the sharer's new id from the tracker; one that still has the old id.
    const fresh = await swarm.addPeer('B', share);
    const stale = await swarm.addPeer('C', share);
    link(swarm, sharer, 'B', fresh, 'S-new');
    link(swarm, sharer, 'C', stale, 'S');

    expect(await swarm.runUntil(() => swarm.allComplete(['A', 'B']))).toBe(true);
    // A never lost its link: the sharer is still its neighbor under the id it connected with.
    expect(swarm.engines.get('A')!.peerIds()).toContain('S');
    expect(swarm.events.get('A')!.some((e) => e.type === 'peer-removed')).toBe(false);
    for (const id of ['A', 'B']) expect(firstDifference(await swarm.contentOf(id, share.metadata), content)).toBe(-1);
    // C expected the old id: the handshake is refused, nothing is transferred.
    const refused = swarm.events.get('C')!.find((e) => e.type === 'peer-error');
    expect(refused && refused.type === 'peer-error' && refused.error.message).toMatch(
      /handshake says peer id "S-new", expected "S"/,
    );
    expect(chunksOf(swarm, 'C')).toBe(0);
    swarm.destroy();
  });

  it('refuses an empty or too long id and keeps the old one', async () => {
    const content = pseudoRandomBytes(64 * KiB, 12);
    const share = await makeShare(content, 32 * KiB);
    const swarm = new TestSwarm();
    const engine = await swarm.addPeer('S', share, { seeder: true, content });
    expect(() => engine.setLocalPeerId('')).toThrow(EngineConfigError);
    expect(() => engine.setLocalPeerId('x'.repeat(1000))).toThrow(EngineConfigError);
    expect(() => engine.setLocalPeerId(42 as unknown as string)).toThrow(EngineConfigError);
    expect(engine.localPeerId).toBe('S');
    swarm.destroy();
  });
});
