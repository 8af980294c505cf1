import { describe, expect, it } from 'vitest';
import { median, rankCorrelation } from './stats';

describe('simulator statistics', () => {
  it('median of odd, even, empty and non-finite lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(median([NaN, 5])).toBe(5);
  });
  it('rank correlation: monotone up, down, ties, constant', () => {
    expect(rankCorrelation([1, 2, 3, 4], [10, 20, 30, 1000])).toBeCloseTo(1);
    expect(rankCorrelation([1, 2, 3, 4], [9, 7, 5, 1])).toBeCloseTo(-1);
    // Textbook example with ties: x = [1, 2, 2, 3], y = [1, 3, 2, 4] -> ranks x [1, 2.5, 2.5, 4], y [1, 3, 2, 4].
    expect(rankCorrelation([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(0.9487, 4);
    expect(rankCorrelation([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(rankCorrelation([1], [1])).toBeNull();
  });
});
