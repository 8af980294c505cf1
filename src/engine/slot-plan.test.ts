/** The rechoke plan from plain facts: no engine, no links. */
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './random';
import { planSlots, type SlotFacts, type SlotPlanInput } from './slot-plan';

const facts = (id: string, more: Partial<SlotFacts> = {}): SlotFacts => ({
  id,
  unchoked: false,
  interested: true,
  wantsFromUs: true,
  rate: 0,
  snubbed: false,
  missing: 0,
  optimisticOnly: false,
  starter: false,
  releasedStarter: false,
  ...more,
});
const input = (neighbors: SlotFacts[], more: Partial<SlotPlanInput> = {}): SlotPlanInput => ({
  neighbors,
  clientServer: false,
  isOrigin: false,
  slots: 1,
  laggardSlots: 0,
  currentOptimistic: undefined,
  rotateOptimistic: false,
  byEvent: false,
  random: createSeededRandom(1),
  ...more,
});
const unchokes = (plan: ReturnType<typeof planSlots>) => plan.changes.filter((c) => !c.choke).map((c) => c.id);
const chokes = (plan: ReturnType<typeof planSlots>) => plan.changes.filter((c) => c.choke).map((c) => c.id);

describe('planSlots', () => {
  it('periodic: the fastest takes the regular slot, the one lacking most the optimistic one, the rest are choked', () => {
    const plan = planSlots(
      input([
        facts('slow', { unchoked: true, rate: 1, missing: 5 }),
        facts('fast', { rate: 100, missing: 1 }),
        facts('behind', { rate: 0, missing: 50 }),
        facts('bored', { unchoked: true, interested: false, wantsFromUs: false }),
      ]),
    );
    expect(plan.optimistic).toBe('behind');
    expect(unchokes(plan)).toEqual(['fast', 'behind']);
    expect(chokes(plan)).toEqual(['slow', 'bored']);
  });

  it('lists only real changes: a neighbor already in the planned state gets no message', () => {
    const plan = planSlots(
      input([facts('a', { unchoked: true, rate: 9 }), facts('b', { unchoked: true, missing: 1 })]),
    );
    expect(plan.changes).toEqual([]);
  });

  it('an event rechoke keeps everyone who still wants from us and only fills the freed slot', () => {
    // a (regular) and b (optimistic) were unchoked; b lost interest; c and d lack more than a.
    const neighbors = [
      facts('a', { unchoked: true, missing: 4 }),
      facts('b', { unchoked: true, interested: false, wantsFromUs: false }),
      facts('c', { missing: 8 }),
      facts('d', { missing: 8 }),
    ];
    const gentle = planSlots(input(neighbors, { byEvent: true, currentOptimistic: 'b' }));
    expect(chokes(gentle)).toEqual(['b']);
    expect(unchokes(gentle)).toHaveLength(1);
    expect(['c', 'd']).toContain(unchokes(gentle)[0]);
    // The periodic rechoke re-ranks (by missing chunks here): a loses its slot to c and d.
    const ranked = neighbors.map((n) => ({ ...n, rate: n.missing }));
    const periodic = planSlots(input(ranked, { currentOptimistic: 'b' }));
    expect(chokes(periodic)).toEqual(['a', 'b']);
    expect(unchokes(periodic).sort()).toEqual(['c', 'd']);
  });

  it('an event rechoke chokes a released starter the decision did not pick, and keeps a starter', () => {
    const plan = planSlots(
      input(
        [
          facts('trader', { unchoked: true, rate: 50 }),
          facts('released', { unchoked: true, rate: 0, releasedStarter: true }),
          facts('starter', { unchoked: true, starter: true, wantsFromUs: false }),
          facts('waiting', { rate: 0, missing: 3 }),
        ],
        { byEvent: true },
      ),
    );
    expect(chokes(plan)).toEqual(['released']);
    expect(plan.optimistic).toBe('waiting');
    expect(unchokes(plan)).toEqual(['waiting']);
  });

  it('client-server: the origin unchokes every interested neighbor, anyone else nobody', () => {
    const neighbors = [
      facts('a', { interested: true }),
      facts('b', { interested: false, wantsFromUs: false }),
      facts('c', { interested: true, unchoked: true }),
    ];
    const origin = planSlots(input(neighbors, { clientServer: true, isOrigin: true }));
    expect(origin).toEqual({ changes: [{ id: 'a', choke: false }], optimistic: undefined });
    const client = planSlots(input(neighbors, { clientServer: true, isOrigin: false }));
    expect(client.changes).toEqual([{ id: 'c', choke: true }]);
  });

  it('snubbed neighbors lose the regular slot but may get the optimistic one', () => {
    const plan = planSlots(
      input([facts('snub', { rate: 999, snubbed: true, missing: 9 }), facts('ok', { rate: 1, missing: 1 })]),
    );
    expect(plan.optimistic).toBe('snub');
    expect(unchokes(plan)).toEqual(['snub', 'ok']);
  });
});
