/**
 * Seeded fuzz: a swarm under random message drops, disconnects, reconnects, joins and leaves; then
 * the chaos stops, links are healed, and every remaining peer must complete with the right bytes.
 * A seed that ever fails goes into REGRESSION_SEEDS with a note, and stays there.
 */
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './random';
import { TestSwarm, firstDifference, pseudoRandomBytes, makeShare } from './testing/test-swarm';

const KiB = 1024;
/** Seeds that once failed (see the note on each). */
const REGRESSION_SEEDS: { seed: number; note: string }[] = [];
/** A wider sweep on demand: FUZZ_SEEDS=1-300 npx vitest run src/engine/engine-fuzz.test.ts */
const sweep = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.FUZZ_SEEDS?.match(
  /^(\d+)-(\d+)$/,
);
const RANDOM_SEEDS = sweep
  ? Array.from({ length: Number(sweep[2]) - Number(sweep[1]) + 1 }, (_, i) => Number(sweep[1]) + i)
  : Array.from({ length: 10 }, (_, i) => 1000 + i);

async function runFuzz(seed: number): Promise<void> {
  const random = createSeededRandom(seed);
  const content = pseudoRandomBytes(96 * KiB + 777, seed);
  const share = await makeShare(content, 16 * KiB);
  let dropping = true;
  const swarm = new TestSwarm({ seed, messageLinks: seed % 2 === 1, drop: (r) => dropping && r() < 0.03 });
  const alive = new Set<string>(['S']);
  await swarm.addPeer('S', share, { seeder: true, content, config: { upBytesPerSec: 48 * KiB } });
  let next = 0;
  const join = async () => {
    const id = `P${next++}`;
    await swarm.addPeer(id, share, { config: { upBytesPerSec: 32 * KiB } });
    const others = [...alive];
    alive.add(id);
    for (let k = 0; k < 2 && others.length; k++)
      swarm.connect(id, others.splice(Math.floor(random() * others.length), 1)[0]!);
  };
  for (let i = 0; i < 4; i++) await join();
  const pick = () => [...alive][Math.floor(random() * alive.size)]!;
  const linked = (a: string, b: string) =>
    swarm.engines.get(a)!.peerIds().includes(b) && swarm.engines.get(b)!.peerIds().includes(a);

  for (let step = 0; step < 160; step++) {
    const r = random();
    const a = pick();
    const b = pick();
    if (r < 0.06 && a !== b) swarm.disconnect(a, b);
    else if (r < 0.14 && a !== b && !linked(a, b)) {
      swarm.disconnect(a, b);
      swarm.connect(a, b);
    } else if (r < 0.17 && alive.size < 8) await join();
    else if (r < 0.19 && a !== 'S' && alive.size > 3) {
      swarm.leave(a);
      alive.delete(a);
    }
    await swarm.flush();
    swarm.clock.advance(250);
  }

  dropping = false;
  const ids = [...alive];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      if (linked(ids[i]!, ids[j]!)) continue;
      swarm.disconnect(ids[i]!, ids[j]!);
      swarm.connect(ids[i]!, ids[j]!);
    }
  }
  const downloaders = ids.filter((id) => id !== 'S');
  const done = await swarm.runUntil(() => swarm.allComplete(downloaders), { stepMs: 1000, maxMs: 300_000 });
  const progress = downloaders.map((id) => `${id}:${swarm.engines.get(id)!.snapshot().verifiedChunks}`).join(' ');
  expect(done, `seed ${seed}: not everyone completed (${progress})`).toBe(true);
  for (const id of downloaders)
    expect(firstDifference(await swarm.contentOf(id, share.metadata), content), `seed ${seed} ${id}`).toBe(-1);
  swarm.destroy();
}

describe('seeded fuzz: drops, disconnects, joins, leaves', () => {
  for (const { seed, note } of REGRESSION_SEEDS) it(`regression seed ${seed} (${note})`, () => runFuzz(seed));
  for (const seed of RANDOM_SEEDS) it(`seed ${seed}`, () => runFuzz(seed));
});
