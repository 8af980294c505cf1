/**
 * The engine worker's methods and notifications: one ShareSession per share, chunk bytes over data
 * channels transferred here (or relayed by the page), chunks in IndexedDB. Everything it reaches
 * outside itself comes in `HostDeps`; main.ts wires the worker's own (and tests their fakes).
 */
import type { UseStore } from 'idb-keyval';
import { pickHasher, type Clock, type Hasher, type HasherKind, type Transport } from '../engine';
import { parseLinkSecret, shareKeys } from '../protocol/share-keys';
import { ChannelTransport } from './channel-transport';
import { classroomMethods } from './classroom-methods';
import { copyIntoStore, recordWhileCopying } from './create-share';
import { preparePrivateShare, shareCrypto, storedMetadata, type ShareCrypto } from './private-share';
import { WORKER_PROTOCOL_VERSION, type PageNotification, type ShareSummary, type TestFlags } from './protocol';
import { readAhead, readAheadDepth } from './read-ahead';
import { RelayTransport } from './relay-transport';
import { CodedError, type Handlers, type WorkerServer } from './serve';
import type { ChunkSource } from './seed-store';
import { ShareSession, type SessionDeps } from './session';
import { FileHandleStore, heldFiles } from './file-handles';
import { HASH_ONLY_SINK, reopenSource } from './handle-shares';
import { sourcesToShare } from './share-paths';
import { ShareRecords, newDownloadRecord, outdatedSummary, type ShareRecord } from './share-records';
import { IdbChunkStore } from './idb-chunk-store';

/** How often each running share's status goes to the page. */
export const STATUS_INTERVAL_MS = 500;
/** Shortest time between two share-creation progress events. */
export const HASH_PROGRESS_MS = 250;

/** The parts of `navigator.storage` the worker reports. */
export interface StorageManagerLike {
  estimate?(): Promise<{ quota?: number; usage?: number }>;
  persisted?(): Promise<boolean>;
}

export interface HostDeps {
  records: ShareRecords;
  chunkDb: UseStore;
  /** The engines' clock; also paces the status events. */
  clock: Clock;
  storageManager: StorageManagerLike | undefined;
  /** Epoch ms, for new records' creation time and ping answers. */
  wallNow(): number;
  /** Our id in peer handshakes until the page gives the tracker's (setPeerId). */
  placeholderPeerId: string;
  /** The test switch "the worker crashed". */
  crash(): void;
}

export interface WorkerHost {
  methods: Handlers;
  onNotify(note: PageNotification): void;
  /** The running sessions by swarm id (read by tests). */
  readonly sessions: ReadonlyMap<string, ShareSession>;
}

export function createWorkerHost(d: HostDeps, srv: WorkerServer): WorkerHost {
  const { records, chunkDb, clock } = d;
  const sessions = new Map<string, ShareSession>();
  const handles = new FileHandleStore();
  const starting = new Map<string, Promise<ShareSession>>();
  /** Links being opened (record read or written, then the session started), from the `openShare` message on. */
  const opening = new Map<string, Promise<ShareSession>>();
  const relays = new Map<string, { swarmId: string; transport: RelayTransport }>();
  /** Channels of neighbors the page has not authenticated yet, by link key: nothing reaches the engine. */
  const unadmitted = new Map<string, ChannelTransport>();
  let flags: TestFlags = {};
  let hasher: Hasher = pickHasher().hasher;
  let hasherKind: HasherKind = 'subtle';
  /** Our id in peer handshakes: the tracker's id for this page (setPeerId); a placeholder until then. */
  let localPeerId = d.placeholderPeerId;

  const deps = (): SessionDeps => ({ records, chunkDb, hasher, clock, localPeerId, flags, emit: (e) => srv.emit(e) });

  /**
   * One session per share: a second caller (resumeAll and openShare race at boot) gets the first's.
   * `source`: a share just created here, seeded from its files while they are copied.
   */
  function startSession(record: ShareRecord, source?: ChunkSource): Promise<ShareSession> {
    const id = record.summary.swarmId;
    const running = sessions.get(id);
    if (running) return Promise.resolve(running);
    const pending = starting.get(id);
    if (pending) return pending;
    const promise = (async () => {
      const c = cryptoOf(record);
      const metadata = record.encodedMetadata ? await storedMetadata(record.encodedMetadata, c, hasher) : undefined;
      // A handle-backed share seeds from the original files again (or says why it can't),
      // encrypting each chunk as it is read, exactly as at creation.
      const files =
        source ??
        (record.summary.backing === 'handles' && metadata
          ? await reopenSource(handles, id, metadata, hasher, (i, b) => c.cipher.encryptChunk(i, b))
          : undefined);
      const session = await ShareSession.start(record, c, deps(), metadata, files);
      sessions.set(id, session);
      return session;
    })();
    starting.set(id, promise);
    void promise.finally(() => starting.delete(id)).catch(() => undefined);
    return promise;
  }

  /**
   * A neighbor's transport for a share: now if it runs, else once it has started (the page
   * announces a link before the worker has opened it; the transport holds messages meanwhile).
   */
  function attachPeer(swarmId: string, peerId: string, transport: Transport, relayed = false): void {
    const session = sessions.get(swarmId);
    if (session) return session.addPeer(peerId, transport, relayed);
    const pending = starting.get(swarmId) ?? opening.get(swarmId);
    if (!pending) return refuseUnknown(swarmId, peerId, transport);
    pending.then(
      (s) =>
        sessions.get(swarmId) === s ? s.addPeer(peerId, transport, relayed) : refuseUnknown(swarmId, peerId, transport),
      () => refuseUnknown(swarmId, peerId, transport),
    );
  }

  /** A record's keys; undefined for a record without a link secret (stored by an older version), which can't run. */
  function keysOf(record: ShareRecord): ShareCrypto | undefined {
    const { secret, swarmId } = record.summary;
    try {
      const c = typeof secret === 'string' ? shareCrypto(secret, hasher, flags.noSubtle === true) : undefined;
      return c?.keys.swarmId === swarmId ? c : undefined;
    } catch {
      return undefined;
    }
  }

  function cryptoOf(record: ShareRecord): ShareCrypto {
    const c = keysOf(record);
    if (!c)
      throw new CodedError(
        'internal',
        `share ${record.summary.swarmId} was stored without a private link (an older version)`,
      );
    return c;
  }

  /** The share of a link: its stored record, or a new download record; then its session. */
  async function openRecord(swarmId: string, secret: string): Promise<ShareSession> {
    let record = await records.get(swarmId);
    if (!record) {
      record = newDownloadRecord(swarmId, secret, d.wallNow());
      await records.put(record);
    }
    return startSession(record);
  }

  /** A neighbor for a share not running here: close it, and have the page close its connection. */
  function refuseUnknown(swarmId: string, peerId: string, transport: { close(): void }): void {
    transport.close();
    srv.emit({ type: 'peer-closed', swarmId, peerId });
  }

  const methods: Handlers = {
    ...classroomMethods({ sessions, records, startSession, engineOf: (s) => s.swarmEngine }),
    init({ version, testFlags }) {
      if (version !== WORKER_PROTOCOL_VERSION)
        throw new CodedError('internal', `worker protocol ${WORKER_PROTOCOL_VERSION}, page ${version}: reload`);
      flags = testFlags ?? {};
      ({ hasher, kind: hasherKind } = pickHasher({ forceJs: flags.noSubtle === true }));
      return { hasher: hasherKind };
    },
    ping: () => ({ at: d.wallNow() }),
    setPeerId({ peerId }) {
      if (typeof peerId !== 'string' || peerId === '') throw new CodedError('internal', 'bad peer id');
      // No restart: the engines handshake with the new id from now on; neighbors stay connected.
      localPeerId = peerId;
      for (const session of sessions.values()) session.setLocalPeerId(peerId);
      for (const pending of starting.values())
        void pending.then((s) => s.setLocalPeerId(localPeerId)).catch(() => undefined);
    },
    async createShare({ files, paths, handles: given }) {
      const sources = sourcesToShare(files, paths);
      let shownPct = -1;
      let shownAt = -Infinity;
      const prepared = await preparePrivateShare(sources, hasher, {
        forceJs: flags.noSubtle === true,
        onProgress: (done, total) => {
          // At most one event per percent and per HASH_PROGRESS_MS: each is a page re-render,
          // CPU taken from the hashing on a busy machine. The last one always goes, so the bar
          // never stops short of 100 %.
          const pct = Math.floor((done * 100) / Math.max(1, total));
          const last = done >= total;
          if (pct > shownPct && (last || clock.now() - shownAt >= HASH_PROGRESS_MS)) {
            srv.emit({ type: 'hash-progress', done, total });
            shownPct = pct;
            shownAt = clock.now();
          }
        },
      });
      const id = prepared.summary.swarmId;
      const running = sessions.get(id) ?? (await starting.get(id)?.catch(() => undefined));
      if (running?.share.complete) return running.share; // shared (and seeding) already
      const stored = await records.get(id);
      if (!running && stored?.summary.complete) return (await startSession(stored)).share;
      if (running) {
        // This browser was downloading these files (or resuming an interrupted copy): they are here now.
        sessions.delete(id);
        running.stop();
      }
      const held = heldFiles(files, given);
      if (held) {
        // Seeded from the original files through their handles, now and after a reload: no copy,
        // only a background pass for each file's SHA-256.
        await handles.put(id, held);
        const { copy: _copying, ...rest } = prepared.summary;
        const record = {
          summary: { ...rest, backing: 'handles' as const },
          encodedMetadata: prepared.created.encodedMetadata,
        };
        await records.put(record);
        const session = await startSession(record, prepared.source);
        const plain = (i: number, chunk: Uint8Array) => prepared.crypto.cipher.decryptChunk(i, chunk);
        session.startCopy(
          (signal, onProgress) => copyIntoStore(prepared, HASH_ONLY_SINK, { signal, onProgress, plain }),
          {
            keepsSource: true,
          },
        );
        return session.share;
      }
      await records.put(recordWhileCopying(prepared));
      const session = await startSession(
        { summary: prepared.summary, encodedMetadata: prepared.created.encodedMetadata },
        prepared.source,
      );
      const pace = flags.copyBytesPerSec ? pacer(flags.copyBytesPerSec) : undefined;
      session.startCopy((signal, onProgress) =>
        copyIntoStore(prepared, session.store.idb, {
          signal,
          onProgress,
          pace,
          plain: (i, chunk) => prepared.crypto.cipher.decryptChunk(i, chunk),
        }),
      );
      return session.share;
    },
    openShare({ secret }) {
      let swarmId: string;
      try {
        swarmId = shareKeys(parseLinkSecret(secret)).swarmId;
      } catch {
        throw new CodedError('internal', 'malformed link');
      }
      // Registered before the first await: channels for this swarm may come in the next messages.
      const open = opening.get(swarmId) ?? openRecord(swarmId, secret);
      opening.set(swarmId, open);
      void open.finally(() => opening.get(swarmId) === open && opening.delete(swarmId)).catch(() => undefined);
      return open.then((s) => s.share);
    },
    async reopenShare({ swarmId }) {
      const record = await records.get(swarmId);
      if (!record || record.summary.backing !== 'handles') throw new CodedError('not-found', 'no such share');
      return (await startSession(record)).share;
    },
    async resumeAll() {
      const list = await records.all();
      const out: ShareSummary[] = [];
      for (const r of list) {
        if (!keysOf(r)) {
          // Its link named the file to anyone who knew its info hash: never seeded again, only listed for removal.
          out.push(outdatedSummary(r.summary));
          continue;
        }
        try {
          out.push((await startSession(r)).share);
        } catch (err) {
          if (err instanceof CodedError && err.code === 'needs-permission') {
            out.push({ ...r.summary, access: 'needs-permission' }); // the page asks for one click
            continue;
          }
          srv.emit({
            type: 'share-error',
            swarmId: r.summary.swarmId,
            code: err instanceof CodedError ? err.code : 'storage-failed',
            message: (err as Error).message,
          });
          out.push(r.summary);
        }
      }
      return out;
    },
    async removeShare({ swarmId }) {
      const session = sessions.get(swarmId) ?? (await starting.get(swarmId));
      sessions.delete(swarmId);
      if (session) await session.remove();
      else {
        // Not running (a share from an older version, or one waiting for read access): its chunks go too.
        await new IdbChunkStore(swarmId, chunkDb).clear();
        await records.remove(swarmId);
      }
      await handles.remove(swarmId);
      return { removed: true };
    },
    addChannelPeer({ swarmId, peerId, channel }) {
      const link = `${swarmId}/${peerId}`;
      const transport = new ChannelTransport(channel);
      unadmitted.get(link)?.close();
      unadmitted.set(link, transport);
      transport.onClose(() => {
        if (unadmitted.get(link) !== transport) return;
        unadmitted.delete(link);
        // It sent more than an honest peer sends before it is admitted: the page drops its connection.
        if (transport.overflowed) srv.emit({ type: 'peer-closed', swarmId, peerId });
      });
    },
    admitPeer({ swarmId, peerId }) {
      const link = `${swarmId}/${peerId}`;
      const transport = unadmitted.get(link);
      if (!transport) return { ok: false };
      unadmitted.delete(link);
      attachPeer(swarmId, peerId, transport);
      return { ok: true };
    },
    addRelayPeer({ swarmId, link }) {
      const transport = new RelayTransport((data) => srv.emit({ type: 'relay-send', link, data }, [data]));
      relays.set(link, { swarmId, transport });
      transport.onClose(() => relays.delete(link));
      attachPeer(swarmId, link.slice(swarmId.length + 1), transport, true);
    },
    async fileBlob({ swarmId, fileIndex }) {
      const session = sessions.get(swarmId);
      const share = session?.share;
      const file = share?.files[fileIndex];
      if (!session || !share?.complete || !file) throw new CodedError('not-found', 'no such complete file');
      const parts: Blob[] = [];
      const first = Math.floor(file.offset / share.chunkSize);
      const last = file.size === 0 ? first - 1 : Math.floor((file.offset + file.size - 1) / share.chunkSize);
      const plain = async (i: number): Promise<Uint8Array> => {
        const chunk = await session.plainChunk(i);
        if (!chunk) throw new CodedError('not-found', `chunk ${i} is missing`);
        return chunk;
      };
      let i = first;
      // Decrypted here, at saving (the store holds ciphertext); Chromium keeps a big Blob's parts
      // on disk, not in memory.
      for await (const chunk of readAhead(first, last, readAheadDepth(share.chunkSize), plain)) {
        const start = Math.max(0, file.offset - i * share.chunkSize);
        const end = Math.min(chunk.length, file.offset + file.size - i * share.chunkSize);
        parts.push(new Blob([chunk.subarray(start, end) as Uint8Array<ArrayBuffer>]));
        i++;
      }
      return new Blob(parts, { type: 'application/octet-stream' });
    },
    async readChunk({ swarmId, index }) {
      const chunk = await sessions.get(swarmId)?.plainChunk(index);
      if (!chunk) throw new CodedError('not-found', `chunk ${index} is missing`);
      return chunk.slice().buffer;
    },
    async storage() {
      const estimate = await d.storageManager?.estimate?.().catch(() => undefined);
      const persisted = (await d.storageManager?.persisted?.().catch(() => false)) ?? false;
      return { usage: estimate?.usage ?? 0, quota: estimate?.quota ?? 0, persisted };
    },
  };

  const sendStatus = () => {
    for (const session of sessions.values()) srv.emit({ type: 'status', status: session.status() });
    clock.setTimeout(sendStatus, STATUS_INTERVAL_MS);
  };
  clock.setTimeout(sendStatus, STATUS_INTERVAL_MS);

  /** Waits until `bytes` are due at `rate` bytes per second since the first call (test flag copyBytesPerSec). */
  function pacer(rate: number): (bytes: number) => Promise<void> {
    const start = clock.now();
    return (bytes) => new Promise((r) => clock.setTimeout(r, Math.max(0, start + (bytes / rate) * 1000 - clock.now())));
  }

  return {
    methods,
    onNotify(note) {
      switch (note.type) {
        case 'relay-data':
          relays.get(note.link)?.transport.deliver(note.data);
          break;
        case 'relay-written':
          relays.get(note.link)?.transport.written(note.bytes);
          break;
        case 'relay-closed':
          relays.get(note.link)?.transport.close();
          break;
        case 'crash':
          d.crash();
          break;
      }
    },
    sessions,
  };
}
