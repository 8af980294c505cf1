/**
 * A typed wrapper around the simulator worker: `run(request)` resolves with the simulated time.
 * `dispose()` terminates the worker and rejects whatever is pending (e.g. when the sliders move).
 */
import type { SimRequest, SimResponse } from '../../../worker/classroom-sim-messages';

export class SimClient {
  private worker = new Worker(new URL('../../../worker/classroom-sim.worker.ts', import.meta.url), { type: 'module' });
  private pending = new Map<number, { resolve(s: number | null): void; reject(e: Error): void }>();
  private nextId = 1;

  constructor() {
    this.worker.addEventListener('message', (e: MessageEvent<SimResponse>) => {
      const p = this.pending.get(e.data.id);
      if (!p) return;
      this.pending.delete(e.data.id);
      if (e.data.ok) p.resolve(e.data.seconds);
      else p.reject(new Error(e.data.error));
    });
    this.worker.addEventListener('error', (e) => this.failAll(new Error(e.message || 'simulator worker failed')));
  }

  run(request: Omit<SimRequest, 'id'>): Promise<number | null> {
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
