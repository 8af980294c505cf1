/**
 * The what-if page's simulator worker: runs the engine simulator (src/sim) for one (mode, N) at a
 * time, off the main thread, and answers each request with the simulated distribution time.
 */
import { DEFAULT_SCENARIO, runScenario } from '../sim/scenarios';
import type { SimRequest, SimResponse } from './classroom-sim-messages';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.addEventListener('message', (event: MessageEvent<SimRequest>) => {
  const r = event.data;
  const reply = (message: SimResponse) => scope.postMessage(message);
  runScenario({
    ...DEFAULT_SCENARIO,
    mode: r.mode,
    peers: r.peers,
    sizeBytes: r.sizeBytes,
    seedUpBps: r.seedUpBps,
    upBps: r.upBps,
    downBps: r.downBps,
    ...(r.freeRiders ? { scenario: 'freeriders' as const, freeRiders: r.freeRiders } : {}),
  })
    .then((report) =>
      reply({
        id: r.id,
        ok: true,
        seconds: report.distributionSeconds,
        contributorsSeconds: report.contributorsMedianSeconds,
        freeRidersSeconds: report.freeRidersMedianSeconds,
      }),
    )
    .catch((error: unknown) =>
      reply({ id: r.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
});
