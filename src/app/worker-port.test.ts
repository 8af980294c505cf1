import { describe, expect, it } from 'vitest';
import type { Handlers } from '../worker/serve';
import { CodedError } from '../worker/serve';
import { pageScheduler } from './scheduler';
import { workerPair } from './testing/worker-pair';
import { WorkerCallError, WorkerGoneError, WorkerPort, WorkerTimeoutError } from './worker-port';

/** A port to a worker served by `methods` over a real MessageChannel. */
function pair(methods: Partial<Handlers>) {
  const worker = workerPair(methods);
  return {
    port: new WorkerPort(worker.worker, pageScheduler, 500),
    server: worker.server,
    close: () => worker.close(),
  };
}

describe('WorkerPort', () => {
  it('matches answers to calls by id', async () => {
    const { port, close } = pair({
      ping: async () => {
        await new Promise((r) => setTimeout(r, 20));
        return { at: 1 };
      },
      storage: () => ({ usage: 1, quota: 2, persisted: false }),
    });
    const [a, b] = await Promise.all([port.call('ping', {}), port.call('storage', {})]);
    expect(a).toEqual({ at: 1 });
    expect(b).toEqual({ usage: 1, quota: 2, persisted: false });
    close();
  });

  it('turns worker errors into WorkerCallError with their code', async () => {
    const { port, close } = pair({
      removeShare: () => {
        throw new CodedError('not-found', 'nope');
      },
    });
    const err = await port.call('removeShare', { swarmId: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkerCallError);
    expect(err.code).toBe('not-found');
    close();
  });

  it('times out a call the worker never answers', async () => {
    const { port, close } = pair({ ping: () => new Promise(() => undefined) });
    await expect(port.call('ping', {}, { timeoutMs: 50 })).rejects.toBeInstanceOf(WorkerTimeoutError);
    close();
  });

  it('rejects pending calls when the worker dies, and later calls at once', async () => {
    const { port, close } = pair({ ping: () => new Promise(() => undefined) });
    let died = false;
    port.onDeath(() => (died = true));
    const pending = port.call('ping', {}, { timeoutMs: 10_000 });
    port.kill(new WorkerGoneError('crashed'));
    await expect(pending).rejects.toBeInstanceOf(WorkerGoneError);
    await expect(port.call('ping', {})).rejects.toBeInstanceOf(WorkerGoneError);
    expect(died).toBe(true);
    close();
  });

  it('delivers events to subscribers until they unsubscribe', async () => {
    const { port, server, close } = pair({});
    const got: string[] = [];
    const off = port.subscribe((e) => got.push(e.type));
    server.emit({ type: 'hash-progress', done: 1, total: 2 });
    await new Promise((r) => setTimeout(r, 20));
    off();
    server.emit({ type: 'hash-progress', done: 2, total: 2 });
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual(['hash-progress']);
    close();
  });

  it('answers an unknown method with an error instead of crashing', async () => {
    const { port, close } = pair({});
    await expect(port.call('ping', {})).rejects.toBeInstanceOf(WorkerCallError);
    close();
  });
});
