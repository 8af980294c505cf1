import { describe, expect, it } from 'vitest';
import { boundCS, boundP2P, boundsFor } from './bounds';

const MiB = 1024 * 1024;

describe('boundCS', () => {
  it('is N F / u_s when the server is the bottleneck', () => {
    // 10 x 64 MiB from a 1 MiB/s server: 640 s; downloads at 2 MiB/s alone would take 32 s.
    expect(boundCS(10, 64 * MiB, 1 * MiB, 2 * MiB)).toBeCloseTo(640);
  });
  it('is F / d_min when the slowest downloader is the bottleneck', () => {
    expect(boundCS(1, 64 * MiB, 4 * MiB, 0.5 * MiB)).toBeCloseTo(128);
  });
  it('grows linearly in N', () => {
    const a = boundCS(100, MiB, MiB, Infinity);
    const b = boundCS(200, MiB, MiB, Infinity);
    expect(b / a).toBeCloseTo(2);
  });
  it('is 0 for no downloaders', () => {
    expect(boundCS(0, MiB, MiB, MiB)).toBe(0);
  });
});

describe('boundP2P', () => {
  it('is N F / (u_s + sum u_i) for a large swarm', () => {
    // 1000 peers at 512 KiB/s up, server 1 MiB/s: total 501 MiB/s; 1000 x 64 MiB / 501 MiB/s.
    const sumUp = 1000 * 0.5 * MiB;
    expect(boundP2P(1000, 64 * MiB, MiB, 2 * MiB, sumUp)).toBeCloseTo((1000 * 64) / 501);
  });
  it('is F / u_s for a single downloader behind a slow server', () => {
    expect(boundP2P(1, 64 * MiB, 0.5 * MiB, 2 * MiB, 10 * MiB)).toBeCloseTo(128);
  });
  it('is F / d_min when downloads are the bottleneck', () => {
    expect(boundP2P(3, 64 * MiB, 8 * MiB, 0.25 * MiB, 30 * MiB)).toBeCloseTo(256);
  });
  it('never exceeds the client-server bound', () => {
    for (const n of [1, 2, 5, 10, 100, 1000]) {
      expect(boundP2P(n, MiB, MiB, 2 * MiB, n * 0.5 * MiB)).toBeLessThanOrEqual(boundCS(n, MiB, MiB, 2 * MiB));
    }
  });
});

describe('boundsFor', () => {
  it('uses the minimum download rate and the sum of upload rates', () => {
    const r = boundsFor(MiB, MiB, [
      { up: 1, down: 5 },
      { up: 2, down: 3 },
      { up: 3, down: 9 },
    ]);
    expect(r.dMin).toBe(3);
    expect(r.sumUp).toBe(6);
    expect(r.cs).toBeCloseTo(Math.max(3, MiB / 3));
  });
});

describe('bad input', () => {
  it('rejects negative, NaN and zero rates with a RangeError', () => {
    expect(() => boundCS(-1, MiB, MiB, MiB)).toThrow(RangeError);
    expect(() => boundCS(1.5, MiB, MiB, MiB)).toThrow(RangeError);
    expect(() => boundCS(1, NaN, MiB, MiB)).toThrow(RangeError);
    expect(() => boundCS(1, MiB, 0, MiB)).toThrow(RangeError);
    expect(() => boundP2P(1, MiB, MiB, 0, 1)).toThrow(RangeError);
    expect(() => boundP2P(1, MiB, MiB, MiB, -1)).toThrow(RangeError);
    expect(() => boundP2P(1, Infinity, MiB, MiB, 1)).toThrow(RangeError);
  });
  it('accepts unlimited (Infinity) rates', () => {
    expect(boundCS(2, MiB, Infinity, Infinity)).toBe(0);
    expect(boundP2P(2, MiB, MiB, Infinity, Infinity)).toBeCloseTo(1);
  });
});
