/**
 * A Runtime with every outside part replaced for unit tests: a fresh vanilla store, the virtual
 * clock as scheduler, an in-memory localStorage, a fake tracker, and workers served over MessageChannels by
 * the test's handlers (one pair per worker start, so a crash and restart can be followed).
 */
import type { Handlers } from '../../worker/serve';
import type { ShareSummary } from '../../worker/protocol';
import { Runtime } from '../runtime';
import { createAppStore } from '../state/store';
import { FakeTracker } from './fake-tracker';
import { VirtualClock } from '../../protocol/virtual-clock';
import { memoryStorage } from './memory-storage';
import { workerPair, type WorkerPair } from './worker-pair';

/** A 43-character swarm id (base64url of 32 bytes) made from one character. */
export const swarmIdOf = (c: string): string => c.repeat(43);

export function shareSummary(swarmId: string, name = 'notes.txt'): ShareSummary {
  return {
    swarmId,
    secret: swarmId, // 43 characters, like a link secret (the fake worker derives nothing)
    hasMetadata: true,
    name,
    files: [{ name, size: 10, offset: 0 }],
    totalSize: 10,
    chunkSize: 16_384,
    chunkCount: 1,
    role: 'seed',
    createdAt: 0,
    haveChunks: 1,
    complete: true,
  };
}

/** Worker handlers that answer what the runtime asks at start-up; `calls` logs every method called. */
export function fakeWorkerMethods(shares: ShareSummary[], calls: Array<[string, unknown]>): Partial<Handlers> {
  const log =
    <P, R>(name: string, result: () => R) =>
    (p: P) => {
      calls.push([name, p]);
      return result();
    };
  return {
    init: log('init', () => ({ hasher: 'subtle' as const })),
    resumeAll: log('resumeAll', () => shares),
    ping: log('ping', () => ({ at: 0 })),
    setPeerId: log('setPeerId', () => undefined),
    removeShare: log('removeShare', () => ({ removed: true })),
    storage: log('storage', () => ({ usage: 0, quota: 1e9, persisted: true })),
  };
}

export function runtimeHarness(opts: { shares?: ShareSummary[]; storage?: Record<string, string> } = {}) {
  const calls: Array<[string, unknown]> = [];
  const workers: WorkerPair[] = [];
  const tracker = new FakeTracker();
  const scheduler = new VirtualClock();
  const storage = memoryStorage(opts.storage);
  const store = createAppStore();
  const runtime = new Runtime({
    tracker,
    iceServers: [],
    createWorker: () => {
      const pair = workerPair(fakeWorkerMethods(opts.shares ?? [], calls));
      workers.push(pair);
      return pair.worker;
    },
    store,
    scheduler,
    storage,
    storageManager: undefined,
    flags: {},
    canTransferChannels: true,
  });
  return {
    runtime,
    tracker,
    scheduler,
    storage,
    store,
    workers,
    calls,
    /** The names of the worker methods called so far, in order. */
    called: (name: string) => calls.filter(([n]) => n === name).map(([, p]) => p),
    close: () => workers.forEach((w) => w.close()),
  };
}
