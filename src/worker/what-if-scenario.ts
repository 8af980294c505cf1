/**
 * The swarm a what-if request simulates: the engine's default scenario at the request's size and
 * rates, cut into chunks exactly as the app cuts a file of that size (chooseChunkSize), so the page
 * shows what the app would do, not what a few large chunks would.
 *
 * The page simulates a file `timeScale` times smaller than the one on its slider and multiplies
 * the times by `timeScale`: the whole swarm is that much shorter. The defector rule
 * (reciprocity.ts) judges a neighbor over `defectAfterMs`; left at 10 s it would not act before a
 * 12 s swarm ends, and free riders would finish with the contributors. So its patience is
 * shortened by the same factor: the rule then has the share of the swarm's time it has in the
 * real one.
 */
import { DEFAULT_ENGINE_CONFIG } from '../engine/index';
import { chooseChunkSize } from '../protocol/metadata';
import { DEFAULT_SCENARIO, type ScenarioOptions } from '../sim/scenarios';
import type { SimRequest } from './classroom-sim-messages';

export function whatIfScenario(r: Omit<SimRequest, 'id'>): ScenarioOptions {
  const timeScale = r.timeScale ?? 1;
  if (!(timeScale >= 1)) throw new RangeError('timeScale must be >= 1');
  return {
    ...DEFAULT_SCENARIO,
    mode: r.mode,
    peers: r.peers,
    sizeBytes: r.sizeBytes,
    chunkSize: chooseChunkSize(r.sizeBytes),
    seedUpBps: r.seedUpBps,
    upBps: r.upBps,
    downBps: r.downBps,
    engineConfig: { defectAfterMs: DEFAULT_ENGINE_CONFIG.defectAfterMs / timeScale },
    // Only both groups' medians are shown: the swarm without free riders is not needed.
    ...(r.freeRiders ? { scenario: 'freeriders' as const, freeRiders: r.freeRiders, baseline: false } : {}),
  };
}
