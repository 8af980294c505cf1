/**
 * The SwarmRegistry contract, run against every implementation (today the in-memory one; a
 * Redis-backed one would be added to IMPLEMENTATIONS and must pass the same tests).
 */
import { describe, expect, it } from 'vitest';
import { MemorySwarmRegistry, type SwarmRegistry } from './registry.ts';

const IMPLEMENTATIONS: [string, (random?: () => number) => SwarmRegistry][] = [
  ['MemorySwarmRegistry', (random) => new MemorySwarmRegistry(random)],
];

describe.each(IMPLEMENTATIONS)('%s', (_name, make) => {
  it('joins, leaves, counts and forgets empty swarms', () => {
    const r = make();
    expect(r.join('s', 'a')).toBe(true);
    expect(r.join('s', 'a')).toBe(false);
    r.join('s', 'b');
    r.join('t', 'a');
    expect([r.size('s'), r.size('t'), r.swarmCount()]).toEqual([2, 1, 2]);
    expect(r.has('s', 'b')).toBe(true);
    expect(r.leave('s', 'x')).toBe(false);
    expect(r.leave('t', 'a')).toBe(true);
    expect([r.size('t'), r.swarmCount(), r.has('t', 'a')]).toEqual([0, 1, false]);
    expect(r.sample('nope', 5)).toEqual([]);
  });

  it('samples distinct members, never the excluded one, up to count', () => {
    const r = make();
    const ids = Array.from({ length: 100 }, (_, i) => `p${i}`);
    for (const id of ids) r.join('s', id);
    for (let round = 0; round < 50; round++) {
      const s = r.sample('s', 30, 'p7');
      expect(s).toHaveLength(30);
      expect(new Set(s).size).toBe(30);
      expect(s).not.toContain('p7');
    }
    expect(new Set(r.sample('s', 1000, 'p7'))).toEqual(new Set(ids.filter((id) => id !== 'p7')));
    expect(r.sample('s', 1000)).toHaveLength(100);
  });

  it('keeps membership consistent through sampling and removal', () => {
    const r = make();
    const live = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = `p${i % 97}`;
      if (live.has(id)) {
        r.leave('s', id);
        live.delete(id);
      } else {
        r.join('s', id);
        live.add(id);
      }
      if (i % 7 === 0) r.sample('s', 10, id);
    }
    expect(r.size('s')).toBe(live.size);
    expect(new Set(r.sample('s', 1000))).toEqual(live);
  });

  it('samples uniformly enough: every member is picked in some announce', () => {
    let seed = 42; // mulberry32: deterministic, so this test cannot flake
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const r = make(random);
    for (let i = 0; i < 60; i++) r.join('s', `p${i}`);
    const seen = new Map<string, number>();
    for (let round = 0; round < 400; round++)
      for (const p of r.sample('s', 5, 'p0')) seen.set(p, (seen.get(p) ?? 0) + 1);
    expect(seen.size).toBe(59);
    // expected 400*5/59 = 34 each; a broken sampler (e.g. always the first slots) lands far outside
    for (const n of seen.values()) expect(n).toBeGreaterThan(8);
  });
});
