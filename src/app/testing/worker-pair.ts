/**
 * A page/worker pair over a real MessageChannel for unit tests: the page side is a WorkerLike for
 * WorkerPort (or a Runtime's createWorker), the worker side runs the real serveWorker with the
 * test's handlers. `crash` fires the page side's 'error' event, as a worker's uncaught error does.
 */
import { serveWorker, type Handlers, type WorkerServer } from '../../worker/serve';
import type { PageNotification } from '../../worker/protocol';
import type { WorkerLike } from '../worker-port';

export interface WorkerPair {
  worker: WorkerLike;
  server: WorkerServer;
  crash(message?: string): void;
  close(): void;
  terminated: boolean;
}

export function workerPair(
  methods: Partial<Handlers>,
  onNotify: (note: PageNotification) => void = () => undefined,
): WorkerPair {
  const { port1, port2 } = new MessageChannel();
  const errorListeners: Array<(e: Event) => void> = [];
  const close = () => (port1.close(), port2.close());
  const pair: WorkerPair = {
    worker: {
      postMessage: (m, t) => port1.postMessage(m, t),
      addEventListener: (type: string, l: (e: never) => void) => {
        if (type === 'message') port1.addEventListener('message', l as never);
        else errorListeners.push(l as (e: Event) => void);
      },
      terminate: () => {
        pair.terminated = true;
        close();
      },
    },
    server: serveWorker(
      {
        postMessage: (m, t) => port2.postMessage(m, t),
        addEventListener: (_t, l) => port2.addEventListener('message', l as never),
      },
      () => ({ methods: methods as Handlers, onNotify }),
    ),
    crash: (message = 'worker crashed') => {
      for (const l of errorListeners) l({ message } as ErrorEvent);
    },
    close,
    terminated: false,
  };
  port1.start();
  port2.start();
  return pair;
}
