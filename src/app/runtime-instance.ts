/**
 * The page's one Runtime and its production wiring: the page's store, timers, localStorage,
 * navigator.storage and engine worker. main.tsx makes it before the first render; views call its
 * actions. Tests build a Runtime with their own parts instead (runtime.test.ts).
 */
import { canTransferDataChannels } from './net/channel-transfer';
import { Runtime, type TrackerHandle } from './runtime';
import { pageScheduler } from './scheduler';
import { useAppStore } from './state/store';
import { readTestFlags } from './test-flags';

let instance: Runtime | undefined;

export function createPageRuntime(
  tracker: TrackerHandle,
  iceServers: RTCIceServer[] | Promise<RTCIceServer[]>,
): Runtime {
  const flags = readTestFlags();
  instance = new Runtime({
    tracker,
    iceServers,
    createWorker: () =>
      new Worker(new URL('../worker/main.ts', import.meta.url), { type: 'module', name: 'swarmdrop-engine' }),
    store: useAppStore,
    scheduler: pageScheduler,
    storage: globalThis.localStorage,
    storageManager: navigator.storage,
    flags,
    canTransferChannels: !flags.forceRelay && canTransferDataChannels(),
  });
  return instance;
}

export function runtime(): Runtime {
  if (!instance) throw new Error('the runtime is not started');
  return instance;
}

export function maybeRuntime(): Runtime | undefined {
  return instance;
}
