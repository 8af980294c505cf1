/**
 * One share in the worker: its engine, its IndexedDB chunk store, its record, and the live status
 * the page mirrors. Engine events become page events; nothing here knows about WebRTC.
 */
import type { UseStore } from 'idb-keyval';
import {
  SwarmEngine,
  type Clock,
  type EngineEvent,
  type EngineSnapshot,
  type Hasher,
  type PeerRemovedReason,
  type ShareMetadata,
  type Transport,
  corruptingStore,
} from '../engine';
import { chunkLength, encodeMetadata } from '../protocol/metadata';
import { BackgroundCopy, type CopyMode, type CopyRun, type CopyTarget } from './background-copy';
import { fileHash } from './hasher';
import { IdbChunkStore, type ChunkWriteError } from './idb-chunk-store';
import { readAhead, readAheadDepth } from './read-ahead';
import type { NeighborView, ShareStatus, ShareSummary, TestFlags, WorkerErrorCode, WorkerEvent } from './protocol';
import type { ShareCrypto } from './private-share';
import { SeedStore, type ChunkSource } from './seed-store';
import { isSourceChanged, isStorageFull } from './share-errors';
import type { ShareRecord, ShareRecords } from './share-records';
import { freeStorage, lackOfRoom, type Room } from './storage-room';

/**
 * Engine settings for data channels: 64 KiB blocks (a quarter of the messages of BitTorrent's
 * 16 KiB: per-message cost dominates on a CPU-bound machine; the raw-channel baseline in
 * bench/browser.ts uses 64 KiB too) and a 4 MiB send queue (Chromium closes a channel past 16 MiB).
 * No uplink queue cap over all links (docs/ENGINE.md, "The uplink queue"): a data channel reports
 * a drain only below 1 MiB, so the cap would pace a fast uncapped link by its wake-up timer and cut
 * the app's goodput against the raw channel (bench:browser); under an upload rate cap the token
 * bucket already serves waiting neighbors one after another, fewest chunks first.
 */
export const BROWSER_ENGINE_CONFIG = {
  blockSize: 64 * 1024,
  highWaterBytes: 4 * 1024 * 1024,
  uplinkQueueBytes: Infinity,
} as const;

export interface SessionDeps {
  records: ShareRecords;
  chunkDb: UseStore;
  hasher: Hasher;
  clock: Clock;
  localPeerId: string;
  flags: TestFlags;
  emit: (event: WorkerEvent) => void;
}

/** Files and offsets of the metadata, for the page. */
export function filesOf(meta: ShareMetadata): ShareSummary['files'] {
  let offset = 0;
  return meta.files.map((f) => {
    const entry = { name: f.name, size: f.size, offset };
    offset += f.size;
    return entry;
  });
}

export function summaryFromMetadata(base: ShareSummary, meta: ShareMetadata): ShareSummary {
  const files = filesOf(meta);
  return {
    ...base,
    hasMetadata: true,
    files,
    name: files.length === 1 ? files[0]!.name : (sharedFolder(files) ?? `${files[0]!.name} +${files.length - 1}`),
    totalSize: meta.totalSize,
    chunkSize: meta.chunkSize,
    chunkCount: meta.chunkCount,
  };
}

/** The one top folder every file is in (a shared folder's name), if there is one. */
function sharedFolder(files: ShareSummary['files']): string | undefined {
  const top = files[0]!.name.split('/')[0]!;
  return files.every((f) => f.name.startsWith(`${top}/`)) ? top : undefined;
}

/** SHA-256 of each file, read back in order from the store (reads ahead, src/worker/read-ahead.ts) and decrypted. */
export async function hashFiles(
  store: Pick<IdbChunkStore, 'get'>,
  s: ShareSummary,
  decrypt: (index: number, chunk: Uint8Array) => Promise<Uint8Array> = (_i, c) => Promise.resolve(c),
): Promise<string[]> {
  const hashes = s.files.map(() => fileHash());
  const plain = async (i: number): Promise<Uint8Array> => {
    const chunk = await store.get(i);
    if (!chunk) throw new Error(`chunk ${i} missing`);
    return decrypt(i, chunk);
  };
  let i = 0;
  for await (const chunk of readAhead(0, s.chunkCount - 1, readAheadDepth(s.chunkSize), plain))
    feedFiles(s, i++, chunk, hashes);
  return hashes.map((h) => h.hex());
}

/** Feeds the part of chunk `index` that belongs to each file into that file's hash. */
export function feedFiles(
  s: Pick<ShareSummary, 'files' | 'chunkSize'>,
  index: number,
  chunk: Uint8Array,
  hashes: Array<{ update(d: Uint8Array): void }>,
): void {
  const start = index * s.chunkSize;
  const end = start + chunk.length;
  s.files.forEach((f, k) => {
    const from = Math.max(start, f.offset);
    const to = Math.min(end, f.offset + f.size);
    if (to > from) hashes[k]!.update(chunk.subarray(from - start, to - start));
  });
}

/**
 * Drops the engine decided on (ban, protocol error, idle/handshake timeout, removal, the session
 * stopping): the page must close that WebRTC connection, else it keeps a neighbor slot and the
 * tracker offers no replacement. Not 'closed' (the page's side closed it: the page knows) nor
 * 'duplicate' (the old link was replaced by a newer one under the same page key, which stays).
 */
export function pageMustClose(reason: PeerRemovedReason): boolean {
  return reason !== 'closed' && reason !== 'duplicate';
}

/**
 * A User Timing mark in the worker's timeline ("swarmdrop:<name>", like src/app/perf-mark.ts in the
 * page): the classroom e2e reads when a round's neighbors, first chunk and completion came.
 */
function workerMark(name: string): void {
  try {
    performance.mark(`swarmdrop:${name}`);
  } catch {
    /* no User Timing: nothing to record */
  }
}

export class ShareSession {
  private engine!: SwarmEngine;
  readonly store: SeedStore;
  private summary: ShareSummary;
  /** The background copy of a share created here (startCopy), stopped by remove(). */
  private copying: BackgroundCopy | undefined;
  private encodedMetadata: Uint8Array | undefined;
  /** The page's peer table: every neighbor seen since the session started (gone and banned ones keep their totals). */
  private readonly peerTable = new Map<string, NeighborView>();
  private readonly relayed = new Set<string>();
  private stopped = false;
  /** Stopped for a new round of the same share (classroom): the page keeps its WebRTC connections. */
  private keepConnections = false;
  /** When the engine completed (ms since the epoch: performance.timeOrigin + now), for classroom stats. */
  completedAt: number | undefined;
  /** Free storage when the session started (a download's pre-check must not wait for it). */
  private free: number | undefined;

  private constructor(
    record: ShareRecord,
    private readonly deps: SessionDeps,
    source: ChunkSource | undefined,
    /** The link's keys: chunks are stored and sent encrypted, decrypted only to hash and save the files. */
    readonly crypto: ShareCrypto,
  ) {
    this.summary = record.summary;
    this.encodedMetadata = record.encodedMetadata;
    const idb = new IdbChunkStore(record.summary.swarmId, deps.chunkDb, { onWriteFailed: (e) => this.writeFailed(e) });
    this.store = new SeedStore(idb, source);
  }

  /**
   * Starts the engine for a stored (or new) record: seeds when complete, else downloads/resumes.
   * `source`: a share just created here, seeded from its files until startCopy has stored them.
   */
  static async start(
    record: ShareRecord,
    crypto: ShareCrypto,
    deps: SessionDeps,
    metadata?: ShareMetadata,
    source?: ChunkSource,
  ): Promise<ShareSession> {
    const session = new ShareSession(record, deps, source, crypto);
    const s = record.summary;
    const stored = await session.store.list();
    session.summary = { ...s, haveChunks: s.hasMetadata ? Math.min(stored.length, s.chunkCount) : 0 };
    if (!s.complete) session.free = await freeStorage();
    const engine = await SwarmEngine.create({
      // Peers of a private share know its swarm id, not (before the metadata) its info hash.
      infoHash: crypto.keys.swarmIdBytes,
      metadataSeal: crypto.seal,
      metadata,
      encodedMetadata: record.encodedMetadata,
      // The tamper test flag (e2e): a peer that uploads only corrupt blocks, to be banned.
      store: deps.flags.tamper === true ? corruptingStore(session.store) : session.store,
      clock: deps.clock,
      hasher: deps.hasher,
      localPeerId: deps.localPeerId,
      config: {
        ...BROWSER_ENGINE_CONFIG,
        role: s.complete ? 'seeder' : 'leecher',
        // A sharer whose copy was interrupted fetches the rest like any downloader until it is whole again.
        isOrigin: s.role === 'seed' && s.complete,
        // The engine super-seeds as the origin by default; the test flag can turn it off (bench:browser compares both).
        ...(deps.flags.superSeed !== undefined ? { superSeeding: deps.flags.superSeed } : {}),
        ...(deps.flags.uploadLimit ? { upBytesPerSec: deps.flags.uploadLimit } : {}),
      },
    });
    session.engine = engine;
    workerMark('session-start');
    engine.on((e) => void session.onEngineEvent(e));
    if (!s.complete && s.hasMetadata) {
      // Resuming: refuse before asking anyone for a chunk when the rest can't fit.
      const lack = lackOfRoom(Math.max(0, s.totalSize - session.summary.haveChunks * s.chunkSize), session.free);
      if (lack) session.refuseForRoom(lack);
    }
    return session;
  }

  get swarmId(): string {
    return this.summary.swarmId;
  }

  /** The engine, for classroom mode's stats and controls (src/worker/classroom-methods.ts). */
  get swarmEngine(): SwarmEngine {
    return this.engine;
  }

  get share(): ShareSummary {
    return this.summary;
  }

  /** The tracker gave this page a new id: later handshakes carry it; neighbors stay. */
  setLocalPeerId(peerId: string): void {
    if (!this.stopped) this.engine.setLocalPeerId(peerId);
  }

  addPeer(peerId: string, transport: Transport, relayed = false): void {
    if (this.stopped) {
      this.refusePeer(peerId, transport);
      return;
    }
    if (relayed) this.relayed.add(peerId);
    try {
      this.engine.addPeer(peerId, transport);
    } catch {
      this.refusePeer(peerId, transport); // the engine would not take it
    }
  }

  /** Closes a neighbor's transport and tells the page to close its WebRTC connection too. */
  private refusePeer(peerId: string, transport: Transport): void {
    transport.close();
    this.deps.emit({ type: 'peer-closed', swarmId: this.swarmId, peerId });
  }

  private async onEngineEvent(e: EngineEvent): Promise<void> {
    // Before the `stopped` check: stopping the session drops every neighbor ('destroyed').
    if (e.type === 'peer-removed' && pageMustClose(e.reason) && !(e.reason === 'destroyed' && this.keepConnections))
      this.deps.emit({ type: 'peer-closed', swarmId: this.swarmId, peerId: e.peerId });
    if (this.stopped) return;
    const { emit } = this.deps;
    switch (e.type) {
      case 'metadata': {
        // Runs before the engine requests its first chunk (it emits 'metadata' first): a download
        // that can't fit is refused up front, not after filling the disk.
        const lack = lackOfRoom(e.metadata.totalSize, this.free);
        if (lack) this.stop();
        await this.onMetadata(e.metadata, lack);
        break;
      }
      case 'peer-connected':
        workerMark('peer-handshake');
        break;
      case 'chunk':
        if (this.summary.haveChunks === 0) workerMark('first-chunk');
        this.summary = { ...this.summary, haveChunks: this.summary.haveChunks + 1 };
        // The last chunk: show 100 % now, not at the next periodic status (up to 500 ms later).
        if (this.summary.chunkCount > 0 && this.summary.haveChunks >= this.summary.chunkCount)
          emit({ type: 'status', status: this.status() });
        break;
      case 'banned':
        emit({ type: 'peer-banned', swarmId: this.swarmId, peerId: e.peerId });
        break;
      case 'complete':
        this.completedAt = performance.timeOrigin + performance.now();
        workerMark('complete');
        await this.onComplete();
        break;
      case 'error': {
        if (isSourceChanged(e.error)) {
          await this.sourceLost(e.error);
          break;
        }
        const full = isStorageFull(e.error);
        emit({
          type: 'share-error',
          swarmId: this.swarmId,
          code: full ? 'storage-full' : 'storage-failed',
          message: e.error.message,
        });
        if (full) this.stop(); // nothing more can be stored: stop asking peers for chunks
        break;
      }
      case 'peer-error':
        console.warn(`[swarmdrop] neighbor ${e.peerId}: ${e.error.message}`);
        break;
      case 'peer-removed':
        if (e.reason !== 'closed' && e.reason !== 'destroyed')
          console.info(`[swarmdrop] neighbor ${e.peerId} removed: ${e.reason}`);
        break;
      default:
        break;
    }
  }

  private async onMetadata(meta: ShareMetadata, lack: Room | undefined): Promise<void> {
    this.summary = summaryFromMetadata(this.summary, meta);
    this.encodedMetadata = encodeMetadata(meta); // canonical: the same bytes the info hash covers
    await this.save();
    this.deps.emit({ type: 'share', share: this.summary });
    // The estimate was not known yet when the metadata came: check now (a few chunks may be in).
    const shortfall = lack ?? (this.free === undefined ? lackOfRoom(meta.totalSize, await freeStorage()) : undefined);
    if (shortfall) this.refuseForRoom(shortfall);
  }

  /** Says plainly that the disk is too full, and stops asking peers for chunks. */
  private refuseForRoom(room: Room): void {
    this.deps.emit({
      type: 'share-error',
      swarmId: this.swarmId,
      code: 'storage-full',
      message: `${room.needed} bytes needed, ${room.free} free`,
      room,
    });
    this.stop();
  }

  /**
   * Downloaded chunks were announced but could not be written, even after retrying: say which and
   * why, and stop (peers must not keep fetching from a share that can't be stored). IndexedDB holds
   * only the written chunks, so a reload resumes from those and fetches the rest again.
   */
  private writeFailed(error: ChunkWriteError): void {
    if (this.stopped) return;
    const full = isStorageFull(error);
    this.deps.emit({
      type: 'share-error',
      swarmId: this.swarmId,
      code: full ? 'storage-full' : 'storage-failed',
      message: `${error.message}; the download stopped (reload to resume from the chunks stored)`,
    });
    this.stop();
  }

  private async onComplete(): Promise<void> {
    try {
      await this.store.flush();
    } catch {
      return; // not complete on disk: writeFailed has reported it
    }
    const copy = this.summary.copy && { state: 'copied' as const, bytes: this.summary.totalSize };
    this.summary = { ...this.summary, complete: true, haveChunks: this.summary.chunkCount, ...(copy && { copy }) };
    this.summary = { ...this.summary, sha256: await hashFiles(this.store, this.summary, this.decrypt) };
    await this.save();
    this.deps.emit({ type: 'share', share: this.summary });
  }

  private async save(): Promise<void> {
    await this.deps.records.put({ summary: this.summary, encodedMetadata: this.encodedMetadata });
  }

  status(): ShareStatus {
    let snap: EngineSnapshot | undefined;
    try {
      snap = this.engine.snapshot();
    } catch {
      snap = undefined;
    }
    const seen = new Set<string>();
    for (const n of snap?.neighbors ?? []) {
      // A channel that never brought a handshake is a connection attempt, not a neighbor: counted
      // as one, it would hide "can't connect" (the page's notice) for as long as attempts go on.
      if (!n.handshaked) continue;
      seen.add(n.peerId);
      this.peerTable.set(n.peerId, {
        peerId: n.peerId,
        downloaded: n.bytesDown,
        uploaded: n.bytesUp,
        state: 'active',
        isOrigin: n.isOrigin,
        path: this.relayed.has(n.peerId) ? 'relay' : 'channel',
      });
    }
    const banned = new Set(snap?.banned ?? []);
    for (const [id, v] of this.peerTable) {
      if (seen.has(id)) continue;
      const state = banned.has(id) ? 'banned' : 'gone';
      if (v.state !== state) this.peerTable.set(id, { ...v, state });
    }
    for (const id of banned) {
      if (!this.peerTable.has(id))
        this.peerTable.set(id, {
          peerId: id,
          downloaded: 0,
          uploaded: 0,
          state: 'banned',
          isOrigin: false,
          path: 'channel',
        });
    }
    const s = this.summary;
    return {
      swarmId: s.swarmId,
      haveChunks: snap?.verifiedChunks ?? s.haveChunks,
      chunkCount: snap?.chunkCount || s.chunkCount,
      downloadedBytes: snap?.bytesDown ?? 0,
      uploadedBytes: snap?.bytesUp ?? 0,
      downloadRate: snap?.downRate ?? 0,
      uploadRate: snap?.upRate ?? 0,
      neighbors: [...this.peerTable.values()],
      complete: s.complete,
      ...(s.copy && { copy: s.copy }),
      neighborsHaveAll: !!snap && snap.availability.length > 0 && snap.availability.every((n) => n > 0),
    };
  }

  private readonly decrypt = (index: number, chunk: Uint8Array) => this.crypto.cipher.decryptChunk(index, chunk);

  /** Chunk `index` decrypted, for saving (it was checked against its hash when it was stored or read). */
  async plainChunk(index: number): Promise<Uint8Array | undefined> {
    const chunk = await this.store.get(index);
    return chunk && this.decrypt(index, chunk);
  }

  /** Chunk length of `index` (for saving). */
  chunkLength(index: number): number {
    return chunkLength(this.summary, index);
  }

  /**
   * Stops the engine. `keepConnections`: a new session of the same share follows at once (a
   * classroom round), and the page gives it fresh channels on the same connections.
   */
  stop(keepConnections = false): void {
    if (this.stopped) return;
    this.stopped = true;
    this.keepConnections = keepConnections;
    this.engine.destroy();
  }

  /** Runs the background copy of a share created here (src/worker/background-copy.ts). */
  startCopy(run: CopyRun, mode: CopyMode = {}): void {
    const target: CopyTarget = {
      isStopped: () => this.stopped,
      summary: () => this.summary,
      setSummary: (s) => (this.summary = s),
      seedFromStorage: async () => {
        await this.store.flush();
        this.store.dropSource();
      },
      save: () => this.save(),
      show: () => this.deps.emit({ type: 'share', share: this.summary }),
      forgetRecord: () => this.deps.records.remove(this.swarmId),
      reportError: (code, message) => this.reportError(code, message),
      sourceLost: (err) => this.sourceLost(err),
    };
    this.copying = new BackgroundCopy(run, target, mode);
  }

  /** A shared file can't be read as it was: stop serving it, say so, keep nothing half-stored. */
  private async sourceLost(err: Error): Promise<void> {
    if (this.stopped) return;
    this.reportError('source-changed', err.message);
    await this.remove();
  }

  private reportError(code: WorkerErrorCode, message: string): void {
    this.deps.emit({ type: 'share-error', swarmId: this.swarmId, code, message });
  }

  async remove(): Promise<void> {
    this.stop();
    await this.copying?.cancel(); // its writes settle (and are cleared) first
    await this.store.clear();
    await this.deps.records.remove(this.swarmId);
  }
}
