/** What a super-seeding sharer shows once every chunk has been shown once (src/engine/super-seeder.ts, leastShown). */
import { describe, expect, it } from 'vitest';
import {
  attachBusyNeighbor,
  attachScripted,
  shownTo,
  handshakeFor,
  scriptedEngine,
  type ScriptedPeer,
  type ScriptedSetup,
} from './testing/scripted-peer';

const KiB = 1024;
const shown = shownTo;
const busyNeighbor = (setup: ScriptedSetup, id: string) => attachBusyNeighbor(setup, id, 16 * KiB);

/** Its handshake arrives (linked earlier, or now). */
async function join({ engine, share }: ScriptedSetup, id: string, linked?: ScriptedPeer): Promise<ScriptedPeer> {
  const p = linked ?? attachScripted(engine, id);
  p.send(handshakeFor(share.infoHash, id));
  await p.deliver();
  return p;
}

describe('super-seeding: a chunk on its way to a neighbor is not shown to another', () => {
  it('once every chunk was shown, shows newcomers a chunk someone holds, not one shown lately that nobody holds', async () => {
    // 8 chunks, 2 shown per neighbor: z, a, b and c are shown all 8 once.
    const setup = await scriptedEngine({
      config: { superSeeding: true, superSeedReveals: 2, highWaterBytes: 16 * KiB },
    });
    // Linked before z's handshake: z is not a lone downloader (shown everything).
    const linked = ['a', 'b', 'c'].map((id) => attachScripted(setup.engine, id));
    const first = [await busyNeighbor(setup, 'z')];
    for (const [i, p] of linked.entries()) first.push(await join(setup, ['a', 'b', 'c'][i]!, p));
    expect(first.map((p) => shown(p).length)).toEqual([2, 2, 2, 2]);
    expect(new Set(first.flatMap(shown)).size).toBe(8);
    // a got one of its chunks (its slot still waits for it to spread); the other 7 are on their way.
    const a = first[1]!;
    const held = shown(a)[0]!;
    a.send({ type: 'have', index: held });
    await a.deliver();
    // Without the rule every chunk is shown once, so e gets two least-shown ones at random and f
    // two others: they could not both be shown `held`.
    const e = await join(setup, 'e');
    const f = await join(setup, 'f');
    expect(shown(e)).toContain(held);
    expect(shown(f)).toContain(held);
  });

  it('after superSeedPatienceMs the chunks are ranked by how often they were shown again (one never fetched is not held back for good)', async () => {
    // 4 chunks; a patience shorter than the tick, so only the newcomers' first reveals look at it.
    const setup = await scriptedEngine({
      size: 64 * KiB,
      config: { superSeeding: true, superSeedReveals: 2, highWaterBytes: 16 * KiB, superSeedPatienceMs: 5 },
    });
    const linked = attachScripted(setup.engine, 'a'); // z is not a lone downloader (shown everything)
    const z = await busyNeighbor(setup, 'z');
    const a = await join(setup, 'a', linked);
    expect(new Set([...shown(z), ...shown(a)]).size).toBe(4);
    expect(shown(z)).toHaveLength(2);
    // z got one of its chunks; b is shown it (the others are on their way) and one other.
    const held = shown(z)[0]!;
    z.send({ type: 'have', index: held });
    z.remote.flush(); // its pieces stay queued to it: the uplink is not idle (no idle-uplink reveal)
    await Promise.resolve();
    const b = await join(setup, 'b');
    expect(shown(b)).toContain(held);
    // Past the patience the two chunks shown once (to z or a, never fetched) go before `held`,
    // shown twice: with the rule kept for good, c would be shown `held` again.
    setup.clock.advance(10);
    const c = await join(setup, 'c');
    const onceShown = [0, 1, 2, 3].filter((i) => !shown(b).includes(i));
    expect(shown(c).sort()).toEqual(onceShown.sort());
  });
});
