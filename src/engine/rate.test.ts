import { describe, expect, it } from 'vitest';
import { RateMeter, TokenBucket } from './rate';

describe('TokenBucket', () => {
  it('lets through rate x time on average', () => {
    const b = new TokenBucket(100_000, 0);
    let now = 0;
    let sent = 0;
    while (now < 10_000) {
      if (b.canSpend(now)) {
        b.spend(16_384, now);
        sent += 16_384;
      } else now += b.waitMs(now);
    }
    // 10 s at 100 kB/s, plus at most the initial burst and one block.
    expect(sent).toBeGreaterThan(1_000_000 - 16_384);
    expect(sent).toBeLessThan(1_000_000 + 25_000 + 16_384 * 2);
  });

  it('allows a block larger than the burst (balance goes negative, then waits)', () => {
    const b = new TokenBucket(1000, 0);
    expect(b.canSpend(0)).toBe(true);
    b.spend(5000, 0);
    expect(b.canSpend(0)).toBe(false);
    expect(b.waitMs(0)).toBeGreaterThan(4000);
    expect(b.canSpend(b.waitMs(0))).toBe(true);
  });

  it('is unlimited at Infinity and can be changed live', () => {
    const b = new TokenBucket(Infinity, 0);
    b.spend(1e12, 0);
    expect(b.canSpend(0)).toBe(true);
    b.setRate(10, 0);
    b.spend(100, 0);
    expect(b.canSpend(1)).toBe(false);
    b.setRate(Infinity, 1);
    expect(b.canSpend(1)).toBe(true);
  });
});

describe('RateMeter', () => {
  it('converges to a steady rate and decays when idle', () => {
    const m = new RateMeter(5000, 0);
    for (let t = 100; t <= 30_000; t += 100) m.add(10_000, t); // 100 kB/s
    expect(m.get(30_000)).toBeGreaterThan(95_000);
    expect(m.get(30_000)).toBeLessThan(105_000);
    expect(m.get(60_000)).toBeLessThan(1_000);
    expect(m.total).toBe(3_000_000);
  });
});
