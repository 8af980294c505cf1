/**
 * The engine worker's entry: wires the host (host.ts) to this worker's own parts (IndexedDB, timers,
 * navigator.storage) and talks to the page only through serveWorker.
 */
/// <reference lib="webworker" />
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Clock } from '../engine';
import { createWorkerHost } from './host';
import { chunkDatabase } from './idb-chunk-store';
import { serveWorker } from './serve';
import { ShareRecords } from './share-records';

declare const self: DedicatedWorkerGlobalScope;

const clock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

serveWorker(self, (srv) =>
  createWorkerHost(
    {
      records: new ShareRecords(),
      chunkDb: chunkDatabase(),
      clock,
      storageManager: navigator.storage,
      wallNow: () => Date.now(),
      placeholderPeerId: `local-${bytesToHex(crypto.getRandomValues(new Uint8Array(6)))}`,
      crash: () =>
        // An uncaught error, then the worker is gone (the page's worker-crash test).
        setTimeout(() => {
          throw new Error('worker crash requested by a test');
        }, 0),
    },
    srv,
  ),
);
