import { describe, expect, it } from 'vitest';
import { buildSpec } from './scenarios';
import { lectureScenario } from './testing/scenario';

const KiB = 1024;
const base = lectureScenario(400, 64 * KiB * KiB);

describe('scenarios', () => {
  it('equal: every downloader has u, 4u and the latency; bounds from those rates', () => {
    const { spec, bounds } = buildSpec(base);
    expect(
      new Set(spec.peers.map((p) => `${p.upBytesPerSecond}/${p.downBytesPerSecond}/${p.latencyMs}/${p.joinAtMs}`)),
    ).toEqual(new Set([`${512 * KiB}/${2048 * KiB}/25/0`]));
    expect(bounds.p2p).toBeCloseTo((400 * 64 * KiB * KiB) / (1024 * KiB + 400 * 512 * KiB));
  });

  it('mixed: uploads from the five classes with mean near u, downloads 4 x own upload unless set', () => {
    const { spec, bounds } = buildSpec({ ...base, scenario: 'mixed' });
    const ups = spec.peers.map((p) => p.upBytesPerSecond / (512 * KiB));
    expect(new Set(ups)).toEqual(new Set([0.25, 0.5, 1, 1.5, 1.75]));
    expect(ups.reduce((a, b) => a + b, 0) / ups.length).toBeGreaterThan(0.9);
    expect(ups.reduce((a, b) => a + b, 0) / ups.length).toBeLessThan(1.1);
    expect(spec.peers.every((p) => p.downBytesPerSecond === 4 * p.upBytesPerSecond)).toBe(true);
    expect(bounds.dMin).toBe(512 * KiB);
    const common = buildSpec({ ...base, scenario: 'mixed', downBps: 2048 * KiB });
    expect(common.spec.peers.every((p) => p.downBytesPerSecond === 2048 * KiB)).toBe(true);
  });

  it('arrivals are spread over the window; churn makes about the asked fraction leave before the bound', () => {
    const arrivals = buildSpec({ ...base, scenario: 'arrivals', arrivalSeconds: 60 }).spec.peers.map((p) => p.joinAtMs);
    expect(Math.min(...arrivals)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...arrivals)).toBeLessThanOrEqual(60_000);
    expect(Math.max(...arrivals)).toBeGreaterThan(50_000);
    const { spec, bounds } = buildSpec({ ...base, scenario: 'churn', leaveFraction: 0.25 });
    const leaving = spec.peers.filter((p) => p.leaveAtMs !== undefined);
    expect(leaving.length / 400).toBeGreaterThan(0.18);
    expect(leaving.length / 400).toBeLessThan(0.32);
    expect(leaving.every((p) => p.leaveAtMs! < bounds.p2p * 1000)).toBe(true);
  });

  it('rejects impossible specs', () => {
    expect(() => buildSpec({ ...base, peers: 0 })).toThrow(RangeError);
    expect(() => buildSpec({ ...base, upBps: 0 })).toThrow(RangeError);
    expect(() => buildSpec({ ...base, latencyMs: -1 })).toThrow(RangeError);
    expect(() => buildSpec({ ...base, peerListSize: 0 })).toThrow(RangeError);
    expect(() => buildSpec({ ...base, scenario: 'churn', leaveFraction: 1 })).toThrow(RangeError);
  });
});
