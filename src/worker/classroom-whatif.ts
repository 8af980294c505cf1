/**
 * One what-if simulation (the what-if page's points and its free-rider result), run by the
 * simulator worker. The page simulates a file `timeScale` times smaller than the one on its slider
 * and multiplies the times by `timeScale`: with the same chunk size and rates every chunk takes as
 * long as in the real swarm, but there are `timeScale` times fewer of them, so the whole swarm is
 * that much shorter. The defector rule (reciprocity.ts) judges a neighbor over `defectAfterMs`;
 * left at 10 s it would not bite before a 12 s swarm ends, and free riders would finish with the
 * contributors. So its patience is shortened by the same factor: the rule then has the share of
 * the swarm's time it has in the real one.
 */
import { DEFAULT_ENGINE_CONFIG } from '../engine/index';
import { DEFAULT_SCENARIO, runScenario, type ScenarioOptions } from '../sim/scenarios';
import type { SimRequest, SimResponse } from './classroom-sim-messages';

/** The simulator scenario for a request (the page's settings, at the simulated size). */
export function whatIfScenario(r: Omit<SimRequest, 'id'>): ScenarioOptions {
  const timeScale = r.timeScale ?? 1;
  if (!(timeScale >= 1)) throw new RangeError('timeScale must be >= 1');
  return {
    ...DEFAULT_SCENARIO,
    mode: r.mode,
    peers: r.peers,
    sizeBytes: r.sizeBytes,
    seedUpBps: r.seedUpBps,
    upBps: r.upBps,
    downBps: r.downBps,
    engineConfig: { defectAfterMs: DEFAULT_ENGINE_CONFIG.defectAfterMs / timeScale },
    // Only both groups' medians are shown: the swarm without free riders is not needed.
    ...(r.freeRiders ? { scenario: 'freeriders' as const, freeRiders: r.freeRiders, baseline: false } : {}),
  };
}

/**
 * Simulates the request; times in seconds of the simulated (smaller) file, not yet scaled.
 * `yieldToHost` as in run-loop.ts: a worker passes a message round trip, since its setTimeout(0)
 * waits 4 ms once nested and a run yields once per millisecond of virtual time with events.
 */
export async function runWhatIf(r: SimRequest, yieldToHost?: () => Promise<void>): Promise<SimResponse> {
  try {
    const report = await runScenario({ ...whatIfScenario(r), yieldToHost });
    return {
      id: r.id,
      ok: true,
      seconds: report.distributionSeconds,
      contributorsSeconds: report.contributorsMedianSeconds,
      freeRidersSeconds: report.freeRidersMedianSeconds,
    };
  } catch (error: unknown) {
    return { id: r.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
