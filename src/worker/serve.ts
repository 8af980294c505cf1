/**
 * The worker's side of the typed port: dispatches requests to handlers, answers with the result
 * (or a serialisable error), pushes events. The only place in the worker that calls `postMessage`.
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
} from './protocol';

/** An error the page should show as a sentence: carries a code for src/app/i18n. */
export class CodedError extends Error {
  override name = 'CodedError';
  constructor(
    readonly code: WorkerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The page-facing code of an error: coded errors keep theirs, a full disk is 'storage-full'. */
function errorCode(err: unknown): WorkerErrorCode | undefined {
  if (err instanceof CodedError) return err.code;
  const name = (err as Error | undefined)?.name;
  if (name === 'StorageFullError' || name === 'QuotaExceededError') return 'storage-full';
  return undefined;
}

export type Handlers = {
  [M in MethodName]: (params: ParamsOf<M>) => Promise<ResultOf<M>> | ResultOf<M>;
};

export interface PortScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
}

export interface WorkerServer {
  emit(event: WorkerEvent, transfer?: Transferable[]): void;
}

export function serveWorker(
  scope: PortScope,
  handlers: (server: WorkerServer) => { methods: Handlers; onNotify: (note: PageNotification) => void },
): WorkerServer {
  const server: WorkerServer = {
    emit(event, transfer = []) {
      const message: WorkerToPage = { kind: 'event', event };
      scope.postMessage(message, transfer);
    },
  };
  const { methods, onNotify } = handlers(server);
  scope.addEventListener('message', (e: MessageEvent) => {
    const message = e.data as PageToWorker;
    if (!message || typeof message !== 'object') return;
    if (message.kind === 'notify') {
      onNotify(message.note);
      return;
    }
    if (message.kind !== 'request') return;
    void answer(message.id, message.method, message.params);
  });

  async function answer(id: number, method: MethodName, params: unknown): Promise<void> {
    const handler = methods[method] as ((p: unknown) => unknown) | undefined;
    let reply: WorkerToPage;
    try {
      if (!handler) throw new CodedError('internal', `unknown worker method ${String(method)}`);
      const result = await handler(params);
      reply = { kind: 'response', id, ok: true, result };
    } catch (err) {
      const e = err as Error;
      reply = {
        kind: 'response',
        id,
        ok: false,
        error: { name: e?.name ?? 'Error', message: e?.message ?? String(err), code: errorCode(err) },
      };
    }
    const transfer = reply.ok && reply.result instanceof ArrayBuffer ? [reply.result] : [];
    scope.postMessage(reply, transfer);
  }
  return server;
}
