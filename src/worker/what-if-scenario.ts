/**
 * The swarm a what-if request simulates: the engine's default scenario at the request's size and
 * rates, cut into chunks exactly as the app cuts a file of that size (chooseChunkSize), so the page
 * shows what the app would do, not what a few large chunks would.
 */
import { chooseChunkSize } from '../protocol/metadata';
import { DEFAULT_SCENARIO, type ScenarioOptions } from '../sim/scenarios';
import type { SimRequest } from './classroom-sim-messages';

export function whatIfScenario(r: Omit<SimRequest, 'id'>): ScenarioOptions {
  return {
    ...DEFAULT_SCENARIO,
    mode: r.mode,
    peers: r.peers,
    sizeBytes: r.sizeBytes,
    chunkSize: chooseChunkSize(r.sizeBytes),
    seedUpBps: r.seedUpBps,
    upBps: r.upBps,
    downBps: r.downBps,
    ...(r.freeRiders ? { scenario: 'freeriders' as const, freeRiders: r.freeRiders } : {}),
  };
}
