import { describe, expect, it } from 'vitest';
import { RateMeter, TokenBucket } from './rate';

describe('TokenBucket', () => {
  /** Sends 16 KiB blocks as fast as the bucket allows on a virtual clock; returns [t, bytes sent by t] after each send. */
  function drain(b: TokenBucket, from: number, until: number, block = 16_384): Array<[number, number]> {
    const log: Array<[number, number]> = [];
    let now = from;
    let sent = 0;
    while (now < until) {
      if (b.canSpend(now, block)) {
        b.spend(block, now);
        sent += block;
        log.push([now, sent]);
      } else now += b.waitMs(now, block);
    }
    return log;
  }

  it('never lets more than rate x time through since the cap was applied, not even at the start', () => {
    const rate = 256 * 1024;
    const log = drain(new TokenBucket(rate, 0), 0, 10_000);
    for (const [t, sent] of log) expect(sent).toBeLessThanOrEqual((rate * t) / 1000);
    // and it does not hold back more than one block: 10 s at the rate, within a block.
    expect(log[log.length - 1]![1]).toBeGreaterThan(rate * 10 - 16_384 * 2);
  });

  it('starts empty again when a cap is set after an idle or uncapped period', () => {
    const rate = 256 * 1024;
    const b = new TokenBucket(Infinity, 0);
    b.spend(1e9, 0);
    b.setRate(rate, 60_000); // the cap applied at t = 60 s, after a minute of no cap
    expect(b.canSpend(60_000, 16_384)).toBe(false);
    for (const [t, sent] of drain(b, 60_000, 70_000)) expect(sent).toBeLessThanOrEqual((rate * (t - 60_000)) / 1000);
    // The same rate applied again (a new round with the same caps) empties the saved burst too.
    const c = new TokenBucket(rate, 0);
    expect(c.canSpend(5_000, 16_384)).toBe(true); // idle for 5 s: a burst is saved
    c.setRate(rate, 5_000);
    expect(c.canSpend(5_000, 16_384)).toBe(false);
    for (const [t, sent] of drain(c, 5_000, 15_000)) expect(sent).toBeLessThanOrEqual((rate * (t - 5_000)) / 1000);
  });

  it('a capped client-server round cannot beat NF/u_s (the lecture bound)', () => {
    // u_s = 256 KiB/s, N = 6, F = 6 MiB: NF/u_s = 144 s; the last byte leaves at 144 s or later.
    const rate = 256 * 1024;
    const total = 6 * 6 * 1024 * 1024;
    const log = drain(new TokenBucket(rate, 0), 0, 200_000).filter(([, sent]) => sent <= total);
    const last = log.find(([, sent]) => sent === total)!;
    expect(last[0]).toBeGreaterThanOrEqual(144_000);
    expect(last[0]).toBeLessThan(144_100);
  });

  it('lets a block larger than its burst through once the balance covers it (no stall)', () => {
    const b = new TokenBucket(16 * 1024, 0); // burst 4 KiB, blocks of 16 KiB
    expect(b.canSpend(0, 16_384)).toBe(false);
    const wait = b.waitMs(0, 16_384);
    expect(wait).toBe(1000);
    expect(b.canSpend(wait, 16_384)).toBe(true);
    b.spend(16_384, wait);
    expect(b.canSpend(wait + 999, 16_384)).toBe(false);
    expect(b.canSpend(wait + 1000, 16_384)).toBe(true);
  });

  it('paces one-byte checks as before: a spend may run the balance negative, then waits', () => {
    const b = new TokenBucket(1000, 0);
    expect(b.canSpend(0)).toBe(false);
    expect(b.canSpend(1)).toBe(true);
    b.spend(5000, 1);
    expect(b.canSpend(1)).toBe(false);
    expect(b.waitMs(1)).toBeGreaterThan(4000);
    expect(b.canSpend(1 + b.waitMs(1))).toBe(true);
  });

  it('is unlimited at Infinity and can be changed live', () => {
    const b = new TokenBucket(Infinity, 0);
    b.spend(1e12, 0);
    expect(b.canSpend(0)).toBe(true);
    b.setRate(10, 0);
    expect(b.canSpend(0)).toBe(false); // a new cap starts empty
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
