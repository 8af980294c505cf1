/** One what-if simulation (the what-if page's points and its free-rider result), run by the simulator worker. */
import { runScenario } from '../sim/scenarios';
import type { SimRequest, SimResponse } from './classroom-sim-messages';
import { whatIfScenario } from './what-if-scenario';

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
