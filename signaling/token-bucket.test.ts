import { expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.ts';

it('allows a burst, then refills at the rate, never above the burst', () => {
  let now = 0;
  const bucket = new TokenBucket(10, 5, () => now);
  const state = bucket.fresh();
  const takes = (n: number) => Array.from({ length: n }, () => bucket.take(state)).filter(Boolean).length;
  expect(takes(8)).toBe(5);
  now += 100; // 1 token
  expect(takes(3)).toBe(1);
  now += 10_000; // would be 100 tokens, capped at 5
  expect(takes(10)).toBe(5);
});

it('keeps separate state per connection', () => {
  const bucket = new TokenBucket(1, 2, () => 0);
  const [a, b] = [bucket.fresh(), bucket.fresh()];
  expect([bucket.take(a), bucket.take(a), bucket.take(a)]).toEqual([true, true, false]);
  expect(bucket.take(b)).toBe(true);
});
