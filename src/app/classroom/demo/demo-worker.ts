/**
 * The demo's simulations in the simulator worker (src/worker/classroom-sim.worker.ts): a DemoSource
 * for DemoPlayer. `cancel()` ends the worker (a round replaced mid-way stops computing); the next
 * round starts a fresh one.
 */
import type { DemoResponse, DemoRequest } from '../../../worker/classroom-sim-messages';
import type { DemoSource } from './demo-player';

export class DemoWorker {
  private worker: Worker | null = null;
  private nextId = 1;

  readonly run: DemoSource = (round, onTick) =>
    new Promise((resolve, reject) => {
      const worker = this.ensure();
      const id = this.nextId++;
      const onMessage = (e: MessageEvent<DemoResponse>) => {
        if (e.data.id !== id) return;
        if (e.data.kind === 'demo-tick') return onTick(e.data.tick);
        worker.removeEventListener('message', onMessage);
        if (e.data.kind === 'demo-done') resolve(e.data.seconds);
        else reject(new Error(e.data.error));
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', (e) => reject(new Error(e.message || 'simulator worker failed')), {
        once: true,
      });
      worker.postMessage({ id, kind: 'demo', round } satisfies DemoRequest);
    });

  cancel(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private ensure(): Worker {
    this.worker ??= new Worker(new URL('../../../worker/classroom-sim.worker.ts', import.meta.url), { type: 'module' });
    return this.worker;
  }
}
