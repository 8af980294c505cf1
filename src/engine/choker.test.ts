import { describe, expect, it } from 'vitest';
import { decideUnchokes, type ChokeCandidate } from './choker';
import { createSeededRandom } from './random';

const c = (id: string, rate: number, more: Partial<ChokeCandidate> = {}): ChokeCandidate => ({
  id,
  interested: true,
  rate,
  snubbed: false,
  missing: 0,
  ...more,
});
const params = (more = {}) => ({
  slots: 4,
  currentOptimistic: undefined,
  rotateOptimistic: true,
  random: createSeededRandom(1),
  ...more,
});

describe('decideUnchokes', () => {
  it('unchokes the 4 fastest interested neighbors plus one optimistic', () => {
    const cands = [
      c('a', 10),
      c('b', 50),
      c('c', 40),
      c('d', 30),
      c('e', 20),
      c('f', 5),
      c('g', 1, { interested: false }),
    ];
    const d = decideUnchokes(cands, params());
    expect([...d.unchoked].filter((id) => id !== d.optimistic).sort()).toEqual(['b', 'c', 'd', 'e']);
    expect(['a', 'f']).toContain(d.optimistic);
    expect(d.unchoked.has('g')).toBe(false);
  });

  it('gives laggardSlots of the regular slots to the neighbors lacking the most chunks', () => {
    const cands = [
      c('fast1', 50, { missing: 1 }),
      c('fast2', 40, { missing: 2 }),
      c('fast3', 30, { missing: 3 }),
      c('mid', 20, { missing: 10 }),
      c('behind', 1, { missing: 90 }),
      c('behind-snubbed', 0, { missing: 99, snubbed: true }),
    ];
    const d = decideUnchokes(cands, params({ laggardSlots: 1, rotateOptimistic: false, currentOptimistic: 'mid' }));
    expect([...d.unchoked].sort()).toEqual(['behind', 'fast1', 'fast2', 'fast3', 'mid']);
    const without = decideUnchokes(cands, params({ rotateOptimistic: false, currentOptimistic: 'behind' }));
    expect([...without.unchoked].filter((id) => id !== without.optimistic).sort()).toEqual([
      'fast1',
      'fast2',
      'fast3',
      'mid',
    ]);
  });

  it('skips snubbed neighbors for regular slots (they may still win the optimistic one)', () => {
    const cands = [c('a', 100, { snubbed: true }), c('b', 1)];
    const d = decideUnchokes(cands, params({ slots: 1 }));
    expect(d.unchoked.has('b')).toBe(true);
    expect(d.optimistic).toBe('a');
  });

  it('keeps the optimistic neighbor until rotation', () => {
    const cands = [c('a', 9), c('b', 0), c('c', 0), c('d', 0)];
    const d = decideUnchokes(cands, params({ slots: 1, currentOptimistic: 'c', rotateOptimistic: false }));
    expect(d.optimistic).toBe('c');
  });

  it('honors the slot setting (a classroom may want more)', () => {
    const cands = Array.from({ length: 12 }, (_, i) => c(`p${i}`, i));
    expect(decideUnchokes(cands, params({ slots: 8 })).unchoked.size).toBe(9);
  });

  it('unchokes nobody when nobody is interested', () => {
    const d = decideUnchokes([c('a', 5, { interested: false })], params());
    expect(d.unchoked.size).toBe(0);
    expect(d.optimistic).toBeUndefined();
  });
});

describe('the optimistic slot', () => {
  it('a defector (optimisticOnly) never gets a regular or laggard slot, only the optimistic one', () => {
    const cands = [
      c('rider', 0, { missing: 900, optimisticOnly: true }),
      c('fast-rider', 99, { missing: 800, optimisticOnly: true }),
      c('a', 10, { missing: 10 }),
      c('b', 5, { missing: 20 }),
    ];
    for (let seed = 1; seed <= 5; seed++) {
      const d = decideUnchokes(cands, params({ slots: 4, laggardSlots: 1, random: createSeededRandom(seed) }));
      expect(d.optimistic).toBe('rider'); // lacks the most
      expect([...d.unchoked].sort()).toEqual(['a', 'b', 'rider']); // free regular slots stay free
    }
  });

  it('gives the optimistic slot to the interested neighbor lacking the most chunks', () => {
    const cands = [
      c('a', 50, { missing: 10 }),
      c('b', 40, { missing: 90 }),
      c('lag', 0, { missing: 200 }),
      c('bored', 0, { missing: 250, interested: false }),
      c('x', 1, { missing: 100 }),
    ];
    for (let seed = 1; seed <= 5; seed++) {
      const d = decideUnchokes(cands, params({ slots: 2, random: createSeededRandom(seed) }));
      expect(d.optimistic).toBe('lag');
      expect([...d.unchoked].sort()).toEqual(['a', 'b', 'lag']);
    }
  });
});
