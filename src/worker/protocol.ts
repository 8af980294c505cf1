/**
 * Page <-> worker messages. The page calls the worker's methods (request/response with ids) and
 * listens to its events; one-way notifications carry relayed peer data. Only the typed ports in
 * src/app/worker-port.ts and src/worker/serve.ts touch `postMessage`.
 *
 * Lives next to the worker (not in src/protocol) because it names DOM/WebWorker types (File,
 * RTCDataChannel) that the pure protocol tsconfig does not have.
 */

/** Bumped on any incompatible change; `init` checks it so a stale cached worker fails loudly. */
import type { PeerStats } from '../protocol/classroom-layout';
import type { StatsContext } from './classroom-stats';

export const WORKER_PROTOCOL_VERSION = 3;

/** Test-only switches, honoured only when the page was opened with an explicit opt-in (see docs/TESTING.md). */
export interface TestFlags {
  /** Corrupt every chunk this peer uploads (e2e test 6). */
  tamper?: boolean;
  /** Pretend `crypto.subtle` is missing (exercise the JS SHA-256 fallback). */
  noSubtle?: boolean;
  /** Cap this peer's upload, bytes per second. */
  uploadLimit?: number;
  /** Super-seeding as the original sharer (engine `superSeeding`, on by default): false turns it off (bench:browser compares both). */
  superSeed?: boolean;
  /** Slow the sharer's background copy into storage to this many bytes per second (to observe it while it runs). */
  copyBytesPerSec?: number;
}

/** One file of a share. `offset` is its first byte in the share's concatenated byte stream. */
export interface FileInfo {
  name: string;
  size: number;
  offset: number;
}

/** What the page knows of a share: the "my files" list and the header of the share/download views. */
export interface ShareSummary {
  /** Derived from the link secret, one way (src/protocol/share-keys.ts): what the tracker sees. */
  swarmId: string;
  /** The link secret (43 base64url characters): the share link's `#/s/<secret>`. Never leaves the browser. */
  secret: string;
  /** False until the metadata arrived from a peer and matched the info hash of the link. */
  hasMetadata: boolean;
  name: string;
  files: FileInfo[];
  totalSize: number;
  chunkSize: number;
  chunkCount: number;
  role: 'seed' | 'download';
  createdAt: number;
  haveChunks: number;
  complete: boolean;
  /** Hex SHA-256 per file, once the share is complete (computed locally from the stored chunks). */
  sha256?: string[];
  /** A share created here: its copy into this browser's storage (absent for downloads and handle-backed shares). */
  copy?: CopyState;
  /** 'handles': created here from file handles, seeded from the original files, nothing copied (src/worker/file-handles.ts). */
  backing?: 'handles';
  /** A handle-backed share after a reload, not seeding: the page must ask for read access again (one click). */
  access?: 'needs-permission';
  /** Stored by a version before private links (no link secret): not seeded, it can only be removed. */
  outdated?: true;
}

/**
 * The sharer's copy of its files in IndexedDB, made in the background after the link is shown
 * ('copying': seeding reads the files meanwhile). 'copied': seeds from storage, survives a reload.
 * 'interrupted': the page closed before the copy ended; it resumes from the chunks copied and the
 * swarm. 'failed': storage refused it; seeds from the files while this page stays open.
 */
export interface CopyState {
  state: 'copying' | 'copied' | 'interrupted' | 'failed';
  /** Bytes copied so far. */
  bytes: number;
}

/** One neighbor, as shown in the peer table. */
export interface NeighborView {
  peerId: string;
  /** Verified bytes received from this neighbor. */
  downloaded: number;
  uploaded: number;
  /** 'banned': it sent corrupt chunks and is refused; 'gone': it left (its totals are kept). */
  state: 'active' | 'banned' | 'gone';
  /** It is the share's original sharer. */
  isOrigin: boolean;
  /** How the chunk bytes travel: a channel transferred to the worker, or relayed by the page. */
  path: 'channel' | 'relay';
}

/** Live state of one share, sent a few times a second while it is active. */
export interface ShareStatus {
  swarmId: string;
  haveChunks: number;
  chunkCount: number;
  /** Bytes of verified chunks received since this page loaded. */
  downloadedBytes: number;
  uploadedBytes: number;
  /** Bytes per second, smoothed. */
  downloadRate: number;
  uploadRate: number;
  neighbors: NeighborView[];
  complete: boolean;
  /** Every chunk is held by at least one current neighbor (the sharer may leave without loss). */
  neighborsHaveAll: boolean;
  /** The sharer's copy into storage, live (ShareSummary.copy). */
  copy?: CopyState;
}

export interface StorageInfo {
  usage: number;
  quota: number;
  persisted: boolean;
}

/** Error codes the page turns into sentences (src/app/i18n). */
export type WorkerErrorCode =
  | 'storage-full'
  | 'bad-metadata'
  | 'storage-failed'
  | 'not-found'
  | 'internal'
  /** A shared file changed or went away on disk: its share stopped rather than serve other bytes. */
  | 'source-changed'
  /** What was picked can't be shared as it is (a path refused by the metadata rules, too many files). */
  | 'bad-files'
  /** A handle-backed share's files need the user's click before they can be read again. */
  | 'needs-permission';

/** The worker's methods: name -> (params) => result. */
/** A classroom control's settings for one peer: caps in bytes/s (0 = none), mode, free rider. */
export interface ClassroomSettings {
  mode: 'p2p' | 'cs';
  up: number;
  down: number;
  freeRide?: boolean;
  /** The engine's defectAfterMs in the round (omitted: the window the engine was created with). */
  defectAfterMs?: number;
  /** A new round starts with these settings: the engine forgets its judgements of neighbors. */
  newRound?: boolean;
}

export interface WorkerMethods {
  init(p: { version: number; testFlags: TestFlags }): { hasher: 'subtle' | 'js' };
  ping(p: Record<string, never>): { at: number };
  /**
   * The tracker's id for this page (peers check it in the handshake). It changes when the tracker
   * connection is re-made; the engines handshake with it from then on, neighbors stay connected.
   */
  setPeerId(p: { peerId: string }): void;
  /**
   * Hashes the files (progress as `hash-progress` events) and starts seeding from them; resolves
   * with the link's share while their copy into storage goes on (ShareStatus.copy).
   */
  /**
   * `paths`: each file's relative path (a shared folder); each file's own name when absent.
   * `handles`: a FileSystemFileHandle per file, where the browser gave them: seeded from them, no copy.
   */
  createShare(p: { files: File[]; paths?: string[]; handles?: unknown[] }): ShareSummary;
  /** A handle-backed share the page was granted read access to again: seed it. */
  reopenShare(p: { swarmId: string }): ShareSummary;
  /** Starts (or resumes) downloading the share of this link secret (its swarm id is derived from it). */
  openShare(p: { secret: string }): ShareSummary;
  /** Every share stored in this browser; also restarts seeding/downloading each of them. */
  resumeAll(p: Record<string, never>): ShareSummary[];
  removeShare(p: { swarmId: string }): { removed: boolean };
  /**
   * A neighbor with its chunk channel transferred in this same message. It is held, and neither
   * sent to nor heard by the engine, until the page has authenticated it (`admitPeer`).
   */
  addChannelPeer(p: { swarmId: string; peerId: string; channel: RTCDataChannel }): void;
  /** The neighbor proved it holds the link (src/app/net/peer-auth.ts): its channel goes to the engine. */
  admitPeer(p: { swarmId: string; peerId: string }): { ok: boolean };
  /** A neighbor whose bytes the page relays (`relay-data` / `relay-send`), by its link key `<swarmId>/<peerId>`. */
  addRelayPeer(p: { swarmId: string; link: string }): void;
  /** A Blob of one file of a complete share, built from the stored chunk blobs (memory stays flat). */
  fileBlob(p: { swarmId: string; fileIndex: number }): Blob;
  /** One stored chunk's bytes, for streaming a file to disk chunk by chunk. */
  readChunk(p: { swarmId: string; index: number }): ArrayBuffer;
  storage(p: Record<string, never>): StorageInfo;
  /** Classroom mode (src/worker/classroom-methods.ts): stats, the teacher's caps/mode, a new round. */
  /** `completedAt`: when the engine completed, in ms since the epoch (performance.timeOrigin + now). */
  classroomStats(p: {
    swarmId: string;
    ctx: StatsContext;
  }): (PeerStats & { complete: boolean; completedAt?: number }) | null;
  classroomApply(p: { swarmId: string } & ClassroomSettings): {
    ok: true;
  };
  classroomRestart(p: { swarmId: string; settings?: ClassroomSettings }): ShareSummary;
}
export type MethodName = keyof WorkerMethods;
export type ParamsOf<M extends MethodName> = Parameters<WorkerMethods[M]>[0];
export type ResultOf<M extends MethodName> = ReturnType<WorkerMethods[M]>;

/** Events the worker pushes to the page. */
export type WorkerEvent =
  | { type: 'hash-progress'; done: number; total: number }
  | { type: 'share'; share: ShareSummary }
  | { type: 'status'; status: ShareStatus }
  /** `room`: a download refused before it started, with the bytes it needs and the bytes free. */
  | {
      type: 'share-error';
      swarmId: string;
      code: WorkerErrorCode;
      message: string;
      room?: { needed: number; free: number };
    }
  | { type: 'peer-banned'; swarmId: string; peerId: string }
  /** Relayed bytes for the neighbor of link key `link` (`<swarmId>/<peerId>`). */
  | { type: 'relay-send'; link: string; data: ArrayBuffer }
  /** The worker dropped or refused this neighbor (ban, protocol error, timeout, ...): close its WebRTC connection. */
  | { type: 'peer-closed'; swarmId: string; peerId: string };

/** One-way page -> worker messages. */
export type PageNotification =
  | { type: 'relay-data'; link: string; data: ArrayBuffer }
  | { type: 'relay-closed'; link: string }
  /** The page handed `bytes` of relayed data to the peer's channel (backpressure for RelayTransport). */
  | { type: 'relay-written'; link: string; bytes: number }
  | { type: 'crash' };

/** The envelopes on the wire. */
export type PageToWorker =
  { kind: 'request'; id: number; method: MethodName; params: unknown } | { kind: 'notify'; note: PageNotification };
export type WorkerToPage =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: { name: string; code?: WorkerErrorCode; message: string } }
  | { kind: 'event'; event: WorkerEvent };
