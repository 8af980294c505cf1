/** A private share's sealed metadata (MetadataSeal): it travels sealed, and only the link's opens. */
import { describe, expect, it } from 'vitest';
import type { MetadataSeal } from './types';
import { makeShare, pseudoRandomBytes, TestSwarm } from './testing/index';

const KiB = 1024;
const swarmId = new Uint8Array(32).fill(5);

/** A toy seal: XOR with a key byte and a 1-byte check (the real one is AES-GCM, share-cipher.ts). */
function xorSeal(key: number, log: Uint8Array[] = []): MetadataSeal {
  return {
    seal: async (encoded) => {
      const out = Uint8Array.from([...encoded.map((b) => b ^ key), key]);
      log.push(out);
      return out;
    },
    open: async (sealed) => {
      if (sealed[sealed.length - 1] !== key) throw new Error('not this link');
      return sealed.subarray(0, -1).map((b) => b ^ key);
    },
  };
}

describe('sealed metadata', () => {
  it('a downloader gets the metadata sealed, opens it and completes', async () => {
    const content = pseudoRandomBytes(128 * KiB, 3);
    const share = await makeShare(content, 32 * KiB);
    const swarm = new TestSwarm({ seed: 1 });
    const sent: Uint8Array[] = [];
    await swarm.addPeer('S', share, { seeder: true, content, sealed: { swarmId, seal: xorSeal(0x5a, sent) } });
    const d = await swarm.addPeer('D', share, { sealed: { swarmId, seal: xorSeal(0x5a) } });
    swarm.connect('S', 'D');
    expect(await swarm.runUntil(() => d.isComplete())).toBe(true);
    expect(d.getEncodedMetadata()).toEqual(share.encodedMetadata);
    expect(sent[0]).not.toEqual(share.encodedMetadata);
    expect(await swarm.contentOf('D', share.metadata)).toEqual(content);
    swarm.destroy();
  });

  it('metadata that does not open under the link bans its sender; the download goes on from another', async () => {
    const content = pseudoRandomBytes(128 * KiB, 4);
    const share = await makeShare(content, 32 * KiB);
    const swarm = new TestSwarm({ seed: 2 });
    await swarm.addPeer('X', share, { seeder: true, content, sealed: { swarmId, seal: xorSeal(0x11) } });
    const d = await swarm.addPeer('D', share, { sealed: { swarmId, seal: xorSeal(0x5a) } });
    swarm.connect('X', 'D');
    expect(await swarm.runUntil(() => d.isBanned('X'), { maxMs: 60_000 })).toBe(true);
    expect(d.getMetadata()).toBeUndefined();
    await swarm.addPeer('S', share, { seeder: true, content, sealed: { swarmId, seal: xorSeal(0x5a) } });
    swarm.connect('S', 'D');
    expect(await swarm.runUntil(() => d.isComplete())).toBe(true);
    swarm.destroy();
  });
});
