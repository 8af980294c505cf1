/**
 * A typed wrapper around the simulator worker: `run(request)` resolves with the simulated time.
 * `dispose()` terminates the worker and rejects whatever is pending (e.g. when the sliders move).
 */
import type { SimRequest, SimResponse } from '../../../worker/classroom-sim-messages';

/** What one simulated swarm answered (the error case rejects instead). */
export type SimResult = Extract<SimResponse, { ok: true }>;

export class SimClient {
  private worker = new Worker(new URL('../../../worker/classroom-sim.worker.ts', import.meta.url), { type: 'module' });
  private pending = new Map<number, { resolve(r: SimResult): void; reject(e: Error): void }>();
  private nextId = 1;

  constructor() {
    this.worker.addEventListener('message', (e: MessageEvent<SimResponse>) => {
      const p = this.pending.get(e.data.id);
      if (!p) return;
      this.pending.delete(e.data.id);
      if (e.data.ok) p.resolve(e.data);
      else p.reject(new Error(e.data.error));
    });
    this.worker.addEventListener('error', (e) => this.failAll(new Error(e.message || 'simulator worker failed')));
  }

  run(request: Omit<SimRequest, 'id'>): Promise<number | null> {
    return this.runFull(request).then((r) => r.seconds);
  }

  /** The whole answer: with free riders, also both groups' median times. */
  runFull(request: Omit<SimRequest, 'id'>): Promise<SimResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } satisfies SimRequest);
    });
  }

  dispose(): void {
    this.worker.terminate();
    this.failAll(new Error('cancelled'));
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
