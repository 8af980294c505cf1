/**
 * SwarmEngine: one share's swarm, the public facade. Owns the neighbors' links and dispatches their
 * messages to the modules (downloader, uploader, choke manager, metadata exchange, super-seeder);
 * housekeeping.ts runs its one periodic timer. Peer input never throws
 * out of here: a bad message is a `peer-error` event and that neighbor is dropped.
 */
import { bytesEqual, encodeMetadata, MetadataError, type ShareMetadata } from '../protocol/metadata';
import {
  HANDSHAKE_FLAG_HAS_METADATA,
  HANDSHAKE_FLAG_ORIGIN,
  MAX_PEER_ID_BYTES,
  MAX_WIRE_BLOCK_BYTES,
  WIRE_PROTOCOL_VERSION,
  type HandshakeMessage,
  type WireMessage,
} from '../protocol/wire-messages';
import { utf8Encode } from '../protocol/utf8';
import { checkDefectAfterMs, EngineConfigError, resolveConfig, type EngineConfig, type EngineMode } from './config';
import { EngineCore } from './core';
import { Housekeeping } from './housekeeping';
import type { EngineEventListener, EngineSnapshot } from './events';
import { ChunkLedger } from './ledger';
import { linkFromTransport, type MessageLink } from './link';
import { Neighbor } from './neighbor';
import type { Random } from './random';
import { takeSnapshot } from './snapshot';
import type { ChunkStore, Clock, Hasher, MetadataSeal, Transport } from './types';

export interface EngineOptions {
  /** SHA-256 of the canonical metadata: the share's identity (32 bytes). */
  infoHash: Uint8Array;
  /** The sharer passes it; a downloader omits it and fetches it from peers (verified against infoHash). */
  metadata?: ShareMetadata;
  /** Canonical bytes of `metadata` (encoded from `metadata` when omitted). */
  encodedMetadata?: Uint8Array;
  /**
   * A private share (types.ts, MetadataSeal): `infoHash` is then the swarm id, metadata travels
   * sealed, and the caller has checked the metadata it passes against the link.
   */
  metadataSeal?: MetadataSeal;
  store: ChunkStore;
  clock: Clock;
  hasher: Hasher;
  /** Default: Math.random. Tests and the simulator pass createSeededRandom(seed). */
  random?: Random;
  /** Our id as the tracker assigned it (sent in the handshake). */
  localPeerId: string;
  config?: Partial<EngineConfig>;
}

export interface RateLimits {
  /** Bytes per second; Infinity = no cap. */
  upBytesPerSec: number;
  downBytesPerSec: number;
}

export class SwarmEngine {
  private readonly core: EngineCore;
  private readonly housekeeping: Housekeeping;

  /** Validates options, verifies given metadata against the info hash, loads the store's chunk list. */
  static async create(options: EngineOptions): Promise<SwarmEngine> {
    if (!(options.infoHash instanceof Uint8Array) || options.infoHash.length !== 32)
      throw new EngineConfigError('infoHash must be 32 bytes');
    checkPeerId(options.localPeerId);
    const engine = new SwarmEngine(options, resolveConfig(options.config));
    if (options.metadata) {
      const encoded = options.encodedMetadata ?? encodeMetadata(options.metadata);
      if (!options.metadataSeal && !bytesEqual(await options.hasher.sha256(encoded), options.infoHash))
        throw new MetadataError('metadata does not match the info hash');
      await engine.installMetadata(options.metadata, encoded, undefined);
    }
    engine.housekeeping.start();
    return engine;
  }

  /** The defector window of the engine's own config (setDefectAfterMs() goes back to it). */
  private readonly createdDefectAfterMs: number;

  private constructor(options: EngineOptions, config: EngineConfig) {
    this.createdDefectAfterMs = config.defectAfterMs;
    this.core = new EngineCore({
      infoHash: options.infoHash.slice(),
      localPeerId: options.localPeerId,
      store: options.store,
      clock: options.clock,
      hasher: options.hasher,
      random: options.random ?? Math.random,
      config,
      metadataSeal: options.metadataSeal,
      installMetadata: (m, e, from) => this.installMetadata(m, e, from),
    });
    this.housekeeping = new Housekeeping(this.core);
  }

  get infoHash(): Uint8Array {
    return this.core.infoHash;
  }
  get localPeerId(): string {
    return this.core.localPeerId;
  }
  /** The settings in force (read-only view; change through setMode / setRateLimits). */
  get config(): Readonly<EngineConfig> {
    return this.core.config;
  }
  getMetadata(): ShareMetadata | undefined {
    return this.core.metadata;
  }
  getEncodedMetadata(): Uint8Array | undefined {
    return this.core.encodedMetadata;
  }
  isComplete(): boolean {
    return this.core.complete;
  }
  hasChunk(index: number): boolean {
    return this.core.ledger?.have.has(index) ?? false;
  }
  /**
   * Our id from now on (the tracker reconnected and gave us a new one): handshakes on links added
   * later carry it. Links already up stay as they are and keep transferring.
   */
  setLocalPeerId(peerId: string): void {
    checkPeerId(peerId);
    this.core.localPeerId = peerId;
  }
  /** Peer ids currently linked (handshaked or not). */
  peerIds(): string[] {
    return [...this.core.neighbors.keys()];
  }
  isBanned(peerId: string): boolean {
    return this.core.banned.has(peerId);
  }

  /** Adds a neighbor over a byte transport (a data channel): the wire codec is applied. */
  addPeer(peerId: string, transport: Transport): void {
    if (this.core.config.blockSize > MAX_WIRE_BLOCK_BYTES) {
      throw new EngineConfigError(
        `blockSize ${this.core.config.blockSize} exceeds ${MAX_WIRE_BLOCK_BYTES}, the largest block a byte transport carries`,
      );
    }
    this.addPeerLink(peerId, linkFromTransport(transport));
  }

  /** Adds a neighbor over a message link (the simulator; no encoding). Replaces an existing link to the same peer. */
  addPeerLink(peerId: string, link: MessageLink): void {
    const core = this.core;
    if (core.destroyed || core.banned.has(peerId) || peerId === core.localPeerId) {
      try {
        link.close();
      } catch {
        // nothing to close
      }
      if (core.banned.has(peerId)) core.emit({ type: 'peer-removed', peerId, reason: 'banned' });
      return;
    }
    const existing = core.neighbors.get(peerId);
    if (existing) core.dropNeighbor(existing, 'duplicate');
    const n = new Neighbor(peerId, link, core.now());
    core.neighbors.set(peerId, n);
    core.neighborAdded(n);
    n.unsubscribe.push(
      link.onMessage((m) => this.dispatch(n, m)),
      link.onError((e) => core.protocolError(n, e.message)),
      link.onDrain(() => core.upload.drained(n)),
      link.onClose(() => core.dropNeighbor(n, 'closed')),
    );
    const handshake: HandshakeMessage = {
      type: 'handshake',
      version: WIRE_PROTOCOL_VERSION,
      infoHash: core.infoHash,
      peerId: core.localPeerId,
      flags: (core.config.isOrigin ? HANDSHAKE_FLAG_ORIGIN : 0) | (core.metadata ? HANDSHAKE_FLAG_HAS_METADATA : 0),
    };
    core.send(n, handshake);
  }

  removePeer(peerId: string): void {
    const n = this.core.neighbors.get(peerId);
    if (n) this.core.dropNeighbor(n, 'removed');
  }

  setRateLimits(limits: Partial<RateLimits>): void {
    const now = this.core.now();
    for (const [key, bucket] of [
      ['upBytesPerSec', this.core.upBucket],
      ['downBytesPerSec', this.core.downBucket],
    ] as const) {
      const v = limits[key];
      if (v === undefined) continue;
      if (!(v > 0)) throw new EngineConfigError(`${key} must be positive (Infinity = no cap)`);
      this.core.config[key] = v;
      bucket.setRate(v, now);
    }
    this.core.upload.resumeWaiting();
    this.core.download.fillAll();
  }

  /** Makes this peer a free rider (it unchokes nobody, so it uploads nothing) or a contributor again. */
  setFreeRide(on: boolean): void {
    if (this.core.config.freeRide === on) return;
    this.core.config.freeRide = on;
    this.core.choke.rechoke(false);
  }

  /**
   * How long a neighbor may withhold before it counts as a defector (config.defectAfterMs; a
   * classroom round shortens it to the round's time scale). Applies from the next check on;
   * without an argument, back to the window the engine was created with.
   */
  setDefectAfterMs(ms: number = this.createdDefectAfterMs): void {
    checkDefectAfterMs(ms);
    this.core.config.defectAfterMs = ms;
  }

  /**
   * Forgets who gave, who defected and who passed on (reciprocity.ts, pass-on.ts): the peers
   * behind the ids start over, as when a classroom round restarts every download and the teacher
   * may have changed who free-rides.
   */
  forgetJudgements(): void {
    this.core.reciprocity.forget();
    this.core.passOn.forget();
  }

  /** Switches between BitTorrent ('p2p') and client-server ('cs'). Every peer of a swarm should use the same mode. */
  setMode(mode: EngineMode): void {
    const core = this.core;
    if (mode !== 'p2p' && mode !== 'cs') throw new EngineConfigError(`unknown mode ${String(mode)}`);
    const wasSuperSeeding = core.superSeed.active;
    core.config.mode = mode;
    if (wasSuperSeeding && !core.superSeed.active) core.superSeed.stop();
    for (const n of [...core.neighbors.values()]) {
      if (!n.handshaked) continue;
      if (!core.download.eligible(n)) core.download.releaseRequests(n, true);
      core.download.updateInterest(n);
    }
    core.choke.rechoke(false);
    core.download.fillAll();
  }

  /** Subscribes to discrete events; returns the unsubscribe function. */
  on(listener: EngineEventListener): () => void {
    this.core.listeners.add(listener);
    return () => this.core.listeners.delete(listener);
  }

  snapshot(): EngineSnapshot {
    return takeSnapshot(this.core);
  }

  /** Closes every link and stops every timer. The store is left as is. */
  destroy(): void {
    const core = this.core;
    if (core.destroyed) return;
    core.destroyed = true;
    this.housekeeping.stop();
    core.upload.destroy();
    core.reciprocity.destroy();
    for (const n of [...core.neighbors.values()]) core.dropNeighbor(n, 'destroyed');
    core.listeners.clear();
  }

  private async installMetadata(metadata: ShareMetadata, encoded: Uint8Array, from: string | undefined): Promise<void> {
    const core = this.core;
    const ledger = new ChunkLedger(metadata, Math.min(core.config.blockSize, metadata.chunkSize));
    ledger.maxActive = Math.max(1, Math.floor(core.config.maxPartialBytes / metadata.chunkSize));
    if (core.config.role === 'seeder') {
      for (let i = 0; i < metadata.chunkCount; i++) ledger.markHave(i);
    } else {
      let stored: number[] = [];
      try {
        stored = await core.store.list();
      } catch (error) {
        core.emit({ type: 'error', error: error as Error });
      }
      for (const i of stored) if (Number.isInteger(i) && i >= 0 && i < metadata.chunkCount) ledger.markHave(i);
    }
    const wire = core.metadataSeal ? await core.metadataSeal.seal(encoded) : encoded;
    if (core.destroyed || core.metadata) return;
    core.metadata = metadata;
    core.encodedMetadata = encoded;
    core.wireMetadata = wire;
    core.availability = new Uint16Array(metadata.chunkCount);
    core.ledger = ledger;
    if (from !== undefined) core.emit({ type: 'metadata', metadata, from });
    for (const n of core.neighbors.values()) if (n.handshaked) core.announceTo(n);
    core.download.onLedgerReady();
    if (ledger.isComplete && !core.completeEmitted) {
      core.completeEmitted = true;
      core.emit({ type: 'complete' });
    }
  }

  private dispatch(n: Neighbor, m: WireMessage): void {
    if (n.removed || this.core.destroyed) return;
    n.lastReceivedAt = this.core.now();
    try {
      this.handle(n, m);
    } catch (error) {
      // A bug or an unforeseen input must cost this neighbor only, never the engine.
      this.core.protocolError(
        n,
        `could not handle ${String((m as { type?: unknown })?.type)}: ${(error as Error).message}`,
      );
    }
  }

  private handle(n: Neighbor, m: WireMessage): void {
    const core = this.core;
    if (!n.handshaked) {
      if (m.type !== 'handshake') return core.protocolError(n, `expected a handshake, got ${m.type}`);
      return this.onHandshake(n, m);
    }
    switch (m.type) {
      case 'handshake':
        return core.protocolError(n, 'second handshake');
      case 'keep-alive':
        return;
      case 'choke':
        return core.download.onChoke(n);
      case 'unchoke':
        return core.download.onUnchoke(n);
      case 'interested':
        return core.choke.onInterested(n);
      case 'not-interested':
        return core.choke.onNotInterested(n);
      case 'have':
        core.meta.onNeighborHasMetadata(n);
        core.download.onHave(n, m.index);
        core.choke.onNeighborHave(n);
        core.passOn.onNeighborHave(n, m.index);
        return core.superSeed.onNeighborHave(n, m.index);
      case 'bitfield':
        core.meta.onNeighborHasMetadata(n);
        return core.download.onBitfield(n, m.bits);
      case 'request':
        return core.upload.onRequest(n, m);
      case 'piece':
        return core.download.onPiece(n, m.index, m.offset, m.data);
      case 'cancel':
        return core.upload.onCancel(n, m);
      case 'metadata-request':
        return core.meta.onRequest(n, m.piece);
      case 'metadata-data':
        return core.meta.onData(n, m);
      case 'metadata-reject':
        return core.meta.onReject(n);
      default:
        return core.protocolError(n, `unknown message type ${String((m as { type?: unknown }).type)}`);
    }
  }

  private onHandshake(n: Neighbor, m: HandshakeMessage): void {
    const core = this.core;
    if (m.version !== WIRE_PROTOCOL_VERSION)
      return core.protocolError(n, `protocol version ${m.version} is not ${WIRE_PROTOCOL_VERSION}`);
    if (!(m.infoHash instanceof Uint8Array) || !bytesEqual(m.infoHash, core.infoHash))
      return core.protocolError(n, 'handshake for a different share');
    if (m.peerId !== n.peerId)
      return core.protocolError(
        n,
        `handshake says peer id ${JSON.stringify(m.peerId)}, expected ${JSON.stringify(n.peerId)}`,
      );
    n.handshaked = true;
    n.isOrigin = (m.flags & HANDSHAKE_FLAG_ORIGIN) !== 0;
    n.remoteHasMetadata = (m.flags & HANDSHAKE_FLAG_HAS_METADATA) !== 0;
    n.connectedAt = core.now();
    core.emit({ type: 'peer-connected', peerId: n.peerId, isOrigin: n.isOrigin });
    if (n.removed) return;
    core.download.onHandshake(n);
    core.announceTo(n);
    core.meta.onHandshake(n);
  }
}

function checkPeerId(peerId: string): void {
  const bytes = typeof peerId === 'string' ? utf8Encode(peerId).length : 0;
  if (bytes < 1 || bytes > MAX_PEER_ID_BYTES)
    throw new EngineConfigError(`localPeerId must be 1..${MAX_PEER_ID_BYTES} UTF-8 bytes`);
}
