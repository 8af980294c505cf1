/**
 * Wires the page together: the engine worker (restarted when it dies), the tracker client, the
 * WebRTC connector, and the zustand store that mirrors them. Components call these actions; they
 * never talk to the worker or the network themselves.
 */
import { FileHandleStore, requestAccess } from '../worker/file-handles';
import { AuthKeys } from './share-link';
import { WORKER_PROTOCOL_VERSION, type ResultOf, type WorkerEvent } from '../worker/protocol';
import { readRelayOnly, writeRelayOnly } from './net/relay-only';
import { SwarmConnector, linkKey, type TrackerLike } from './net/swarm-connector';
import type { AppStore } from './state/store';
import type { TrackerStatus } from './tracker-client';
import { perfMark } from './perf-mark';
import { readPendingRemovals, writePendingRemovals, type KeyValueStorage } from './pending-removals';
import type { Scheduler } from './scheduler';
import type { PageTestFlags } from './test-flags';
import { WorkerCallError, WorkerPort, type WorkerLike } from './worker-port';

export interface TrackerHandle extends TrackerLike {
  readonly status: TrackerStatus;
  onStatus(listener: (status: TrackerStatus) => void): () => void;
  onSchedule(listener: (nextAttemptAt: number | undefined) => void): () => void;
  reconnectNow(): Promise<boolean>;
}

/** The parts of `navigator.storage` the runtime asks (absent on plain-http pages in some browsers). */
export interface StorageManagerLike {
  estimate?(): Promise<{ quota?: number; usage?: number }>;
  persisted?(): Promise<boolean>;
  persist?(): Promise<boolean>;
}

/** Everything the runtime reaches outside itself; runtime-instance.ts wires the page's. */
export interface RuntimeDeps {
  createWorker(): WorkerLike;
  tracker: TrackerHandle;
  /** May still be loading: the worker starts meanwhile; connections wait for it. */
  iceServers: RTCIceServer[] | Promise<RTCIceServer[]>;
  store: AppStore;
  scheduler: Scheduler;
  /** Where pending removals and the relay-only setting outlive the page (localStorage). */
  storage: KeyValueStorage | undefined;
  storageManager: StorageManagerLike | undefined;
  flags: PageTestFlags;
  /** Data channels can be transferred to the worker (else simple-peer's data is relayed). */
  canTransferChannels: boolean;
}

const HEARTBEAT_MS = 3_000;
/** How long "Removed NAME. Undo" stays before the chunks are deleted. */
export const UNDO_REMOVE_MS = 10_000;
const MAX_RESTARTS = 5;
/** A crashed worker is replaced after this pause (a crash loop does not spin the CPU). */
const RESTART_DELAY_MS = 500;

export class Runtime {
  private port!: WorkerPort;
  /** The current worker's `init` call. */
  private init!: Promise<ResultOf<'init'>>;
  /** Made once the ICE servers are known; undefined until then and while the worker restarts. */
  private connector: SwarmConnector | undefined;
  private heartbeat: unknown;
  private readonly store: AppStore;
  /** Swarms this page takes part in (re-joined after a worker restart). */
  private readonly active = new Set<string>();
  /** Links whose `openShare` the worker has not answered yet (their swarms are announced already). */
  private readonly opening = new Set<string>();
  /** Each swarm's peer authentication key, from its link secret (never sent anywhere). */
  readonly authKeys = new AuthKeys();
  /** The tracker's id for this page, as last given to the worker. */
  private peerId: string | undefined;
  /** Removals whose undo window is open, with the timer that finishes each. */
  private readonly removals = new Map<string, unknown>();
  /** Worker (re)starts and peer id changes run one at a time. */
  private serial: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: RuntimeDeps) {
    this.store = deps.store;
    this.store.getState().setTracker(deps.tracker.status);
    this.store.getState().setRelayOnly(readRelayOnly(deps.storage));
    deps.tracker.onStatus((s) => {
      this.store.getState().setTracker(s);
      // Not queued: the new id must reach the worker and the neighbors before the tracker's first
      // peer list does (a worker being restarted picks the id up when its port is made).
      if (s === 'open') this.adoptPeerId();
    });
    deps.tracker.onSchedule((at) => this.store.getState().setTrackerRetryAt(at));
  }

  get flags(): PageTestFlags {
    return this.deps.flags;
  }

  /** "Retry now" on the tracker notice: reconnect at once; resolves whether that attempt worked. */
  retryTracker(): Promise<boolean> {
    return this.deps.tracker.reconnectNow();
  }

  private queue(task: () => Promise<void>): Promise<void> {
    const next = this.serial.then(task, task);
    this.serial = next.catch(() => undefined);
    return next;
  }

  /**
   * The tracker (re)connected with a new id for this page. Peers check that id in the handshake of
   * new connections, so the worker's engines use it from now on; connections already up stay and
   * keep transferring, and their peers are told the new id so they don't connect to us twice.
   * The tracker client re-announces our swarms by itself.
   */
  private adoptPeerId(): void {
    const id = this.deps.tracker.peerId;
    if (!id || id === this.peerId || !this.port?.alive) return;
    this.peerId = id;
    // Posted behind what the worker has not read yet: it handshakes with this id on every channel
    // it gets after this message, also while it is still starting.
    this.port.call('setPeerId', { peerId: id }).catch(() => undefined); // a dead worker restarts with the tracker's id
    this.connector?.announceRename(id);
  }

  start(): Promise<void> {
    this.openPort(); // now, not a microtask later: a link opened right after start() goes behind `init`
    return this.queue(() => this.startWorker());
  }

  /** A new worker: its messages are queued until it has loaded, in the order posted. */
  private openPort(): void {
    this.port = new WorkerPort(this.deps.createWorker(), this.deps.scheduler);
    this.port.subscribe((e) => this.onEvent(e));
    this.port.onDeath(() => void this.queue(() => this.restart()));
    this.init = this.port.call('init', {
      version: WORKER_PROTOCOL_VERSION,
      testFlags: {
        tamper: this.deps.flags.tamper,
        noSubtle: this.deps.flags.noSubtle,
        uploadLimit: this.deps.flags.uploadLimit,
        superSeed: this.deps.flags.superSeed,
        copyBytesPerSec: this.deps.flags.copyBytesPerSec,
      },
    });
    this.init.catch(() => undefined); // awaited in startWorker; not an unhandled rejection while the ICE config loads
    this.peerId = undefined;
    this.adoptPeerId(); // the tracker may be open already (a restart)
    // At once, with the ICE servers perhaps still loading: a link's swarm is announced when the
    // tracker is open; peer lists and offers wait for the ICE servers in the connector.
    this.connector = this.makeConnector(this.deps.iceServers);
  }

  private async startWorker(): Promise<void> {
    const store = this.store.getState();
    const { hasher } = await this.init;
    store.setWorker('ready', hasher);
    perfMark('worker-init');
    const shares = await this.port.call('resumeAll', {}, { timeoutMs: 120_000 });
    store.setShares(shares);
    // A removal left pending by an earlier page is finished now; one still undoable here stays out of its swarm.
    const pending = readPendingRemovals(this.deps.storage);
    for (const s of shares) {
      if (typeof s.secret === 'string' && !s.outdated) this.authKeys.add(s.secret);
      if (this.removals.has(s.swarmId)) continue;
      if (pending.has(s.swarmId)) void this.finishRemoval(s.swarmId);
      // Not seeding until allowed again; an older version's share never seeds (it has no private link).
      else if (s.access !== 'needs-permission' && !s.outdated) this.join(s.swarmId);
    }
    for (const id of this.active) this.connector?.join(id); // shares opened before the restart
    this.beat();
    perfMark('worker-resumed');
    void this.refreshStorage();
  }

  /** Pings the worker every HEARTBEAT_MS; a worker that does not answer is killed (and restarted). */
  private beat(): void {
    this.heartbeat = this.deps.scheduler.setTimeout(() => {
      this.port.call('ping', {}, { timeoutMs: 8_000 }).catch(() => this.port.kill());
      this.beat();
    }, HEARTBEAT_MS);
  }

  private makeConnector(iceServers: RTCIceServer[] | Promise<RTCIceServer[]>): SwarmConnector {
    const port = this.port;
    return new SwarmConnector({
      tracker: this.deps.tracker,
      iceServers,
      sink: {
        canTransferChannels: this.deps.canTransferChannels,
        addChannel: (swarmId, peerId, channel) => {
          port
            .call('addChannelPeer', { swarmId, peerId, channel }, { transfer: [channel as unknown as Transferable] })
            .catch(() => undefined);
        },
        admitChannel: (swarmId, peerId) => {
          port.call('admitPeer', { swarmId, peerId }).catch(() => undefined);
        },
        addRelay: (swarmId, link) => {
          port.call('addRelayPeer', { swarmId, link }).catch(() => undefined);
        },
        relayData: (link, data) => port.notify({ type: 'relay-data', link, data }, [data]),
        relayWritten: (link, bytes) => port.notify({ type: 'relay-written', link, bytes }),
        relayClosed: (link) => port.notify({ type: 'relay-closed', link }),
      },
      onLinks: (swarmId, links) => this.store.getState().setLinks(swarmId, links),
      onRoute: (swarmId, peerId, route) => this.store.getState().setRoute(linkKey(swarmId, peerId), route),
      relayOnly: () => this.store.getState().relayOnly,
      // From the link secret (share-link.ts); a swarm without one here is never joined.
      authKeyFor: (swarmId) => {
        const key = this.authKeys.get(swarmId);
        if (!key) throw new Error(`no link secret for swarm ${swarmId}`);
        return key;
      },
    });
  }

  /** The worker died: drop its neighbors (their channels died with it), start a new one, resume from storage. */
  private async restart(): Promise<void> {
    const store = this.store.getState();
    this.deps.scheduler.clearTimeout(this.heartbeat);
    this.connector?.close();
    this.connector = undefined;
    for (const id of this.active) this.deps.tracker.leave(id);
    if (store.workerRestarts >= MAX_RESTARTS) {
      store.setWorker('failed');
      return;
    }
    store.countRestart();
    store.setWorker('restarting');
    await new Promise((r) => this.deps.scheduler.setTimeout(() => r(undefined), RESTART_DELAY_MS));
    try {
      this.openPort();
      await this.startWorker();
    } catch {
      store.setWorker('failed');
    }
  }

  /** Classroom mode (src/app/classroom/classroom-runtime.ts): the worker port, and re-connecting a swarm after a new round. */
  get workerPort(): WorkerPort {
    return this.port;
  }
  rejoin(swarmId: string): void {
    this.connector?.leave(swarmId);
    this.join(swarmId);
  }

  private join(swarmId: string): void {
    this.active.add(swarmId);
    this.connector?.join(swarmId);
  }

  private onEvent(e: WorkerEvent): void {
    const store = this.store.getState();
    switch (e.type) {
      case 'hash-progress':
        store.setHashing({ done: e.done, total: e.total });
        break;
      case 'share':
        store.upsertShare(e.share);
        break;
      case 'status':
        store.setStatus(e.status);
        if (!e.status.complete && e.status.neighbors.length < 4) this.connector?.refill(e.status.swarmId);
        break;
      case 'share-error':
        store.setProblem(e.swarmId, e.room ? { code: e.code, room: e.room } : { code: e.code, detail: e.message });
        break;
      case 'peer-banned':
        store.addBanned(e.swarmId, e.peerId);
        this.connector?.refuse(e.swarmId, e.peerId);
        break;
      case 'relay-send':
        this.connector?.relaySend(e.link, e.data);
        break;
      case 'peer-closed':
        this.connector?.closePeer(e.swarmId, e.peerId);
        break;
    }
  }

  /**
   * A handle-backed share after a reload: asks the browser for read access to its files (call it
   * from a click), then has the worker seed it again. False when access was refused.
   */
  async allowAccessAgain(swarmId: string): Promise<boolean> {
    const held = await new FileHandleStore().get(swarmId);
    if (!held || !(await requestAccess(held))) return false;
    const share = await this.port.call('reopenShare', { swarmId });
    this.store.getState().upsertShare(share);
    this.join(swarmId);
    return true;
  }

  /**
   * Hashes (and encrypts) the files, starts seeding; resolves to the new share's link secret.
   * `paths`: each file's relative path, for a folder's files (the file's name otherwise).
   */
  async shareFiles(files: File[], paths?: string[], handles?: unknown[]): Promise<string | undefined> {
    const store = this.store.getState();
    store.setShareError(undefined);
    const total = files.reduce((n, f) => n + f.size, 0);
    const room = await this.lackOfRoomFor(total);
    if (room) {
      store.setShareError({ code: 'storage-full', room }); // refused before hashing
      return undefined;
    }
    void this.requestPersistence();
    store.setHashing({ done: 0, total });
    try {
      const share = await this.port.call(
        'createShare',
        { files, ...(paths && { paths }), ...(handles && { handles }) },
        { timeoutMs: 30 * 60_000 },
      );
      this.authKeys.add(share.secret);
      store.upsertShare(share);
      this.join(share.swarmId);
      return share.secret;
    } catch (err) {
      store.setShareError({
        code: err instanceof WorkerCallError && err.code ? err.code : 'internal',
        detail: (err as Error).message,
      });
      return undefined;
    } finally {
      store.setHashing(undefined);
      void this.refreshStorage();
    }
  }

  /**
   * Starts or resumes the download of a link's share. Callable as soon as start() was called: the
   * worker gets `openShare` before any channel of that swarm can reach it, so the swarm is
   * announced at once (sent when the tracker is open), not after the worker has started; the
   * worker holds channels that come before the share has opened.
   */
  async openShare(secret: string): Promise<void> {
    const swarmId = this.authKeys.add(secret);
    if (!swarmId || this.active.has(swarmId) || this.opening.has(swarmId)) return;
    void this.requestPersistence();
    const opened = this.port.call('openShare', { secret });
    this.opening.add(swarmId);
    this.connector?.join(swarmId);
    try {
      const share = await opened;
      this.store.getState().upsertShare(share);
      perfMark('share-open');
      this.join(swarmId);
    } catch (err) {
      if (!this.active.has(swarmId)) this.connector?.leave(swarmId);
      this.store.getState().setProblem(swarmId, {
        code: err instanceof WorkerCallError && err.code ? err.code : 'internal',
        detail: (err as Error).message,
      });
    } finally {
      this.opening.delete(swarmId);
    }
  }

  /**
   * "Remove" in My files: leaves the swarm at once (no more sharing or downloading) and hides the
   * share; its chunks are deleted after UNDO_REMOVE_MS unless undone, or on the next page load if
   * the page is left first (flushRemovals tries at once as well).
   */
  removeShare(swarmId: string): void {
    const store = this.store.getState();
    const share = store.shares.get(swarmId);
    if (!share || this.removals.has(swarmId)) return;
    this.active.delete(swarmId);
    this.connector?.leave(swarmId);
    store.setRemoving(swarmId, { name: share.hasMetadata ? share.name : '' });
    this.removals.set(
      swarmId,
      this.deps.scheduler.setTimeout(() => void this.finishRemoval(swarmId), UNDO_REMOVE_MS),
    );
    writePendingRemovals(this.deps.storage, new Set([...readPendingRemovals(this.deps.storage), swarmId]));
  }

  /** Undo within the window: the share is listed again and rejoins its swarm. */
  undoRemove(swarmId: string): void {
    const timer = this.removals.get(swarmId);
    if (timer === undefined) return;
    this.deps.scheduler.clearTimeout(timer);
    this.removals.delete(swarmId);
    this.forgetPending(swarmId);
    this.store.getState().setRemoving(swarmId, undefined);
    this.join(swarmId);
  }

  /** The page is being left: ask the worker to delete what is pending now (best effort; the next load finishes it). */
  flushRemovals(): void {
    for (const swarmId of this.removals.keys()) this.port.call('removeShare', { swarmId }).catch(() => undefined);
  }

  private async finishRemoval(swarmId: string): Promise<void> {
    this.removals.delete(swarmId);
    this.active.delete(swarmId); // in case its link was opened meanwhile
    this.connector?.leave(swarmId);
    try {
      await this.port.call('removeShare', { swarmId });
      this.forgetPending(swarmId);
    } catch {
      /* the worker died: the pending entry stays, so its next start (or the next page) removes it */
    }
    this.store.getState().removeShare(swarmId);
    void this.refreshStorage();
  }

  private forgetPending(swarmId: string): void {
    const pending = readPendingRemovals(this.deps.storage);
    pending.delete(swarmId);
    writePendingRemovals(this.deps.storage, pending);
  }

  fileBlob(swarmId: string, fileIndex: number): Promise<Blob> {
    return this.port.call('fileBlob', { swarmId, fileIndex }, { timeoutMs: 120_000 });
  }

  readChunk(swarmId: string, index: number): Promise<ArrayBuffer> {
    return this.port.call('readChunk', { swarmId, index });
  }

  async refreshStorage(): Promise<void> {
    try {
      this.store.getState().setStorage(await this.port.call('storage', {}));
    } catch {
      /* the numbers are informative only */
    }
  }

  /** Relay only for connections made from now on (open ones keep their path); remembered for the next page. */
  setRelayOnly(on: boolean): void {
    writeRelayOnly(this.deps.storage, on);
    this.store.getState().setRelayOnly(on);
  }

  /** For the worker-crash test: makes the worker die as a crash would. */
  crashWorker(): void {
    this.port.notify({ type: 'crash' });
  }

  /** The shortfall when `bytes` (plus IndexedDB's overhead) don't fit, per the storage estimate (see src/worker/storage-room.ts). */
  private async lackOfRoomFor(bytes: number): Promise<{ needed: number; free: number } | undefined> {
    const estimate = await this.deps.storageManager?.estimate?.().catch(() => undefined);
    if (!estimate?.quota) return undefined;
    const free = Math.max(0, estimate.quota - (estimate.usage ?? 0));
    return free >= bytes * 1.05 ? undefined : { needed: bytes, free };
  }

  private async requestPersistence(): Promise<void> {
    const storage = this.deps.storageManager;
    try {
      if (storage?.persisted && storage.persist && !(await storage.persisted())) await storage.persist();
    } catch {
      /* best effort: the browser may say no */
    }
  }
}
