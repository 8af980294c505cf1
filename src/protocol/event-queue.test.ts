import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../engine/index';
import { EventQueue, type SimEvent } from './event-queue';

describe('EventQueue', () => {
  it('pops by time, ties in insertion order, skipping cancelled events (against a sorted reference)', () => {
    for (const seed of [1, 2, 3]) {
      const random = createSeededRandom(seed);
      const q = new EventQueue();
      const ref: Array<{ time: number; id: number; ev: SimEvent }> = [];
      const popped: number[] = [];
      const expected: number[] = [];
      let id = 0;
      let now = 0;
      for (let step = 0; step < 8_000; step++) {
        const r = random();
        if (r < 0.55) {
          // Few distinct times, so ties are common (the case insertion order must settle).
          const time = now + Math.floor(random() * 20) / 4;
          const mine = id++;
          const ev = q.push(time, () => popped.push(mine));
          ref.push({ time, id: mine, ev });
        } else if (r < 0.65 && ref.length > 0) {
          const k = Math.floor(random() * ref.length);
          q.cancel(ref[k]!.ev);
          ref.splice(k, 1);
        } else if (ref.length > 0) {
          ref.sort((a, b) => a.time - b.time || a.id - b.id);
          const next = ref.shift()!;
          expected.push(next.id);
          expect(q.peekTime()).toBe(next.time);
          const ev = q.pop()!;
          now = ev.time;
          ev.fn();
        }
        expect(q.size).toBe(ref.length);
      }
      expect(popped).toEqual(expected);
    }
  });

  it('is empty after the last live event, and a late cancel of a fired event changes nothing', () => {
    const q = new EventQueue();
    const a = q.push(1, () => {});
    const b = q.push(2, () => {});
    q.cancel(b);
    expect(q.pop()).toBe(a);
    q.cancel(a);
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Infinity);
    expect(q.pop()).toBeUndefined();
  });

  it('rejects a NaN time', () => {
    expect(() => new EventQueue().push(NaN, () => {})).toThrow(RangeError);
  });
});
