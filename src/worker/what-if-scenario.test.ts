import { describe, expect, it } from 'vitest';
import { chooseChunkSize } from '../protocol/metadata';
import { runScenario } from '../sim/scenarios';
import { whatIfScenario } from './what-if-scenario';

const KiB = 1024;
const MiB = 1024 * KiB;
/** The what-if page's default sliders, at its simulated size. */
const request = {
  mode: 'p2p' as const,
  peers: 10,
  sizeBytes: 4 * MiB,
  seedUpBps: 2 * MiB,
  upBps: 512 * KiB,
  downBps: 4 * MiB,
};

describe('the swarm a what-if request simulates', () => {
  it('cuts the file into chunks as the app does for that size', () => {
    for (const sizeBytes of [256 * KiB, MiB, 4 * MiB])
      expect(whatIfScenario({ ...request, sizeBytes }).chunkSize).toBe(chooseChunkSize(sizeBytes));
    expect(whatIfScenario(request).chunkSize).toBe(16 * KiB);
  });

  it('is the free-rider scenario only when some peers free ride', () => {
    expect(whatIfScenario(request).scenario).toBe('equal');
    expect(whatIfScenario({ ...request, freeRiders: 0.2 })).toMatchObject({ scenario: 'freeriders', freeRiders: 0.2 });
  });

  it('lands near the lecture bound, as the app would (a few large chunks would not)', async () => {
    const report = await runScenario(whatIfScenario(request));
    expect(report.ratio).toBeGreaterThanOrEqual(1);
    expect(report.ratio).toBeLessThan(1.3);
  });
});
