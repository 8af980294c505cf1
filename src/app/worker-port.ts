/**
 * The page's typed port to the engine worker: `call` (request ids, timeouts), `notify`, and
 * `subscribe` to events. Pending calls are rejected when the worker dies or is terminated. No other
 * app code calls `postMessage` on the worker.
 */
import type {
  MethodName,
  PageNotification,
  PageToWorker,
  ParamsOf,
  ResultOf,
  WorkerErrorCode,
  WorkerEvent,
  WorkerToPage,
} from '../worker/protocol';
import { Listeners } from '../protocol/listeners';
import { pageScheduler, type Scheduler } from './scheduler';

/** A call the worker answered with an error. */
export class WorkerCallError extends Error {
  override name = 'WorkerCallError';
  constructor(
    message: string,
    readonly code: WorkerErrorCode | undefined,
  ) {
    super(message);
  }
}
/** The worker did not answer in time. */
export class WorkerTimeoutError extends Error {
  override name = 'WorkerTimeoutError';
}
/** The worker died (crashed or was terminated) before answering. */
export class WorkerGoneError extends Error {
  override name = 'WorkerGoneError';
}

/** The parts of `Worker` the port uses (a MessagePort-like object in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (e: Event) => void): void;
  terminate?(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: unknown;
}

export class WorkerPort {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Listeners<WorkerEvent>();
  private readonly deathListeners = new Listeners<Error>();
  private dead: Error | undefined;

  constructor(
    private readonly worker: WorkerLike,
    private readonly timers: Scheduler = pageScheduler,
    private readonly defaultTimeoutMs = 30_000,
  ) {
    worker.addEventListener('message', (e: MessageEvent) => this.receive(e.data as WorkerToPage));
    worker.addEventListener('error', (e: Event) => {
      const message = (e as ErrorEvent).message || 'the worker failed';
      this.kill(new WorkerGoneError(message));
    });
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** Calls a worker method. Rejects with WorkerCallError, WorkerTimeoutError or WorkerGoneError. */
  call<M extends MethodName>(
    method: M,
    params: ParamsOf<M>,
    opts: { transfer?: Transferable[]; timeoutMs?: number } = {},
  ): Promise<ResultOf<M>> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(id);
        reject(new WorkerTimeoutError(`worker call ${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      const message: PageToWorker = { kind: 'request', id, method, params };
      this.worker.postMessage(message, opts.transfer ?? []);
    });
  }

  /** One-way message (relayed peer data). */
  notify(note: PageNotification, transfer: Transferable[] = []): void {
    if (this.dead) return;
    const message: PageToWorker = { kind: 'notify', note };
    this.worker.postMessage(message, transfer);
  }

  /** Listens to the worker's events; returns the unsubscribe function. */
  subscribe(listener: (event: WorkerEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Called once when the worker dies or is terminated. */
  onDeath(listener: (error: Error) => void): () => void {
    return this.deathListeners.add(listener);
  }

  /** Marks the worker dead: every pending call is rejected, later calls fail at once. */
  kill(error: Error = new WorkerGoneError('the worker was terminated')): void {
    if (this.dead) return;
    this.dead = error;
    this.worker.terminate?.();
    for (const [id, p] of this.pending) {
      this.timers.clearTimeout(p.timer);
      p.reject(error);
      this.pending.delete(id);
    }
    this.deathListeners.emit(error);
  }

  private receive(message: WorkerToPage): void {
    if (!message || typeof message !== 'object') return;
    if (message.kind === 'event') {
      this.listeners.emit(message.event);
      return;
    }
    if (message.kind !== 'response') return;
    const p = this.pending.get(message.id);
    if (!p) return; // answered after its timeout
    this.pending.delete(message.id);
    this.timers.clearTimeout(p.timer);
    if (message.ok) p.resolve(message.result);
    else p.reject(new WorkerCallError(message.error.message, message.error.code));
  }
}
