/**
 * The UI state: one zustand store built from typed slices, changed only through their actions.
 * It mirrors what the worker, the tracker client and the connector report; it holds no transfer
 * logic. Maps are replaced (never mutated) on update so selectors see the change.
 */
import { create, type StateCreator } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ShareStatus, ShareSummary, StorageInfo, WorkerErrorCode } from '../../worker/protocol';
import type { ConnectFailure, RouteInfo } from '../net/ice-path';
import type { SwarmLinks } from '../net/swarm-connector';
import type { TrackerStatus } from '../tracker-client';

export type WorkerState = 'starting' | 'ready' | 'restarting' | 'failed';

/** A problem the page explains in words (keys of src/app/i18n). */
export interface ShareProblem {
  code: WorkerErrorCode | 'no-peers' | 'connect-failed';
  detail?: string;
  /** connect-failed: why (src/app/net/ice-path.ts). */
  failure?: ConnectFailure;
  /** Storage pre-check: bytes needed and bytes free for this site (refused before starting). */
  room?: { needed: number; free: number };
}

export interface ConnectionSlice {
  tracker: TrackerStatus;
  /** While the tracker is down: when the client tries again (epoch ms); undefined while it is trying. */
  trackerRetryAt: number | undefined;
  worker: WorkerState;
  hasher: 'subtle' | 'js' | undefined;
  /** Times the worker was restarted after a crash. */
  workerRestarts: number;
  setTracker(status: TrackerStatus): void;
  setTrackerRetryAt(at: number | undefined): void;
  setWorker(state: WorkerState, hasher?: 'subtle' | 'js'): void;
  countRestart(): void;
}

export interface SharesSlice {
  shares: Map<string, ShareSummary>;
  /** Hashing of files being shared: bytes done / total; undefined when idle. */
  hashing: { done: number; total: number } | undefined;
  shareError: ShareProblem | undefined;
  storage: StorageInfo | undefined;
  /** Shares removed but still undoable (runtime.ts deletes them when the window ends): hidden from the list, with the name the notice shows. */
  removing: Map<string, { name: string }>;
  setRemoving(swarmId: string, pending: { name: string } | undefined): void;
  upsertShare(share: ShareSummary): void;
  setShares(shares: ShareSummary[]): void;
  removeShare(swarmId: string): void;
  setHashing(progress: { done: number; total: number } | undefined): void;
  setShareError(problem: ShareProblem | undefined): void;
  setStorage(info: StorageInfo): void;
}

export interface LiveSlice {
  status: Map<string, ShareStatus>;
  links: Map<string, SwarmLinks>;
  problems: Map<string, ShareProblem>;
  banned: Map<string, Set<string>>;
  /** How each connected neighbor's bytes flow, by link key (swarm/peer). */
  routes: Map<string, RouteInfo>;
  setRoute(link: string, route: RouteInfo | undefined): void;
  setStatus(status: ShareStatus): void;
  setLinks(swarmId: string, links: SwarmLinks): void;
  setProblem(swarmId: string, problem: ShareProblem | undefined): void;
  addBanned(swarmId: string, peerId: string): void;
}

export interface SettingsSlice {
  /** New connections through the TURN server only (src/app/net/relay-only.ts). */
  relayOnly: boolean;
  setRelayOnly(on: boolean): void;
}

export type AppState = ConnectionSlice & SharesSlice & LiveSlice & SettingsSlice;

const connectionSlice: StateCreator<AppState, [], [], ConnectionSlice> = (set) => ({
  tracker: 'connecting',
  trackerRetryAt: undefined,
  worker: 'starting',
  hasher: undefined,
  workerRestarts: 0,
  setTracker: (tracker) => set({ tracker }),
  setTrackerRetryAt: (trackerRetryAt) => set({ trackerRetryAt }),
  setWorker: (worker, hasher) => set((s) => ({ worker, hasher: hasher ?? s.hasher })),
  countRestart: () => set((s) => ({ workerRestarts: s.workerRestarts + 1 })),
});

const sharesSlice: StateCreator<AppState, [], [], SharesSlice> = (set) => ({
  shares: new Map(),
  hashing: undefined,
  shareError: undefined,
  storage: undefined,
  removing: new Map(),
  setRemoving: (swarmId, pending) => set((s) => ({ removing: withEntry(s.removing, swarmId, pending) })),
  upsertShare: (share) => set((s) => ({ shares: new Map(s.shares).set(share.swarmId, share) })),
  setShares: (list) =>
    set((s) => {
      const shares = new Map(s.shares);
      for (const share of list) shares.set(share.swarmId, share);
      return { shares };
    }),
  removeShare: (swarmId) =>
    set((s) => ({
      shares: withEntry(s.shares, swarmId, undefined),
      status: withEntry(s.status, swarmId, undefined),
      removing: withEntry(s.removing, swarmId, undefined),
    })),
  setHashing: (hashing) => set({ hashing }),
  setShareError: (shareError) => set({ shareError }),
  setStorage: (storage) => set({ storage }),
});

const liveSlice: StateCreator<AppState, [], [], LiveSlice> = (set) => ({
  status: new Map(),
  links: new Map(),
  problems: new Map(),
  banned: new Map(),
  routes: new Map(),
  setRoute: (link, route) => set((s) => ({ routes: withEntry(s.routes, link, route) })),
  setStatus: (status) => set((s) => ({ status: new Map(s.status).set(status.swarmId, status) })),
  setLinks: (swarmId, links) => set((s) => ({ links: new Map(s.links).set(swarmId, links) })),
  setProblem: (swarmId, problem) => set((s) => ({ problems: withEntry(s.problems, swarmId, problem) })),
  addBanned: (swarmId, peerId) =>
    set((s) => ({ banned: new Map(s.banned).set(swarmId, new Set(s.banned.get(swarmId)).add(peerId)) })),
});

const settingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set) => ({
  relayOnly: false,
  setRelayOnly: (relayOnly) => set({ relayOnly }),
});

/** A copy of `map` with `key` set to `value`, or without `key` when `value` is undefined (zustand state is never mutated). */
function withEntry<K, V>(map: Map<K, V>, key: K, value: V | undefined): Map<K, V> {
  const next = new Map(map);
  if (value === undefined) next.delete(key);
  else next.set(key, value);
  return next;
}

const appState: StateCreator<AppState> = (...a) => ({
  ...connectionSlice(...a),
  ...sharesSlice(...a),
  ...liveSlice(...a),
  ...settingsSlice(...a),
});

/** The store as the runtime uses it: the page's one (`useAppStore`), or a fresh one per test. */
export type AppStore = StoreApi<AppState>;

/** A new store with the same slices, outside React (zustand's testing guide: one per test). */
export function createAppStore(): AppStore {
  return createStore<AppState>()(appState);
}

/** The page's store, with the React hook the views select from. */
export const useAppStore = create<AppState>()(appState);
