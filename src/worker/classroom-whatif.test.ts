/**
 * The what-if page's simulations (classroom-whatif.ts): a scaled-down file whose defector rule is
 * made as much faster, so the free-rider slider shows tit-for-tat biting as it does at full size.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_CONFIG } from '../engine/index';
import { runWhatIf } from './classroom-whatif';
import { whatIfScenario } from './what-if-scenario';
import type { SimRequest } from './classroom-sim-messages';

const KiB = 1024;
const MiB = KiB * KiB;

/** The page's opening settings (F = 64 MiB, u_s = 2 MiB/s, u = 512 KiB/s, d = 4 MiB/s), 20 % free riders, simulated at 4 MiB. */
const PAGE: SimRequest = {
  id: 1,
  mode: 'p2p',
  peers: 30,
  sizeBytes: 4 * MiB,
  seedUpBps: 2 * MiB,
  upBps: 512 * KiB,
  downBps: 4 * MiB,
  freeRiders: 0.2,
  timeScale: 16,
};

async function ratio(r: SimRequest): Promise<number> {
  const answer = await runWhatIf(r);
  if (!answer.ok) throw new Error(answer.error);
  return answer.freeRidersSeconds! / answer.contributorsSeconds!;
}

describe('what-if simulations', () => {
  it('shortens the defector rule by the time scale, and runs no swarm without free riders', () => {
    const o = whatIfScenario(PAGE);
    expect(o.sizeBytes).toBe(4 * MiB);
    expect(o.engineConfig?.defectAfterMs).toBe(DEFAULT_ENGINE_CONFIG.defectAfterMs / 16);
    expect(o.scenario).toBe('freeriders');
    expect(o.baseline).toBe(false);
    expect(whatIfScenario({ ...PAGE, timeScale: undefined }).engineConfig?.defectAfterMs).toBe(
      DEFAULT_ENGINE_CONFIG.defectAfterMs,
    );
    expect(whatIfScenario({ ...PAGE, freeRiders: 0 }).scenario).toBe('equal');
  });

  it('answers a bad time scale or setting with an error, not a crash', async () => {
    for (const timeScale of [0.5, 0, Number.NaN]) {
      const answer = await runWhatIf({ ...PAGE, timeScale });
      expect(answer).toEqual({ id: 1, ok: false, error: 'timeScale must be >= 1' });
    }
    expect(await runWhatIf({ ...PAGE, upBps: -1 })).toMatchObject({ ok: false, error: 'up rate must be positive' });
  });

  it('the page at 64 MiB: free riders take >= 1.3x the contributors, where the unscaled rule barely acts', async () => {
    // The 4 MiB swarm lasts about 12 s, 16x shorter than the real one: 2.10x scaled, 1.06x with
    // the rule's 10 s.
    expect(await ratio(PAGE)).toBeGreaterThanOrEqual(1.3);
    expect(await ratio({ ...PAGE, timeScale: 1 })).toBeLessThan(1.3);
  }, 60_000);
});
