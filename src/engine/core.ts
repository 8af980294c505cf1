/**
 * Shared state of one engine and the few operations every module needs (send, emit, drop a
 * neighbor, ban). It builds the modules (downloader.ts, uploader.ts, choke-manager.ts,
 * metadata-exchange.ts, super-seeder.ts) and tells them of each neighbor through NeighborHooks;
 * engine.ts is the public facade.
 */
import type { ShareMetadata } from '../protocol/metadata';
import type { HaveMessage, WireMessage } from '../protocol/wire-messages';
import type { EngineConfig } from './config';
import type { EngineEvent, EngineEventListener, PeerRemovedReason } from './events';
import { PeerProtocolError } from './errors';
import type { ChunkLedger } from './ledger';
import type { Neighbor } from './neighbor';
import { RateMeter, TokenBucket } from './rate';
import type { Random } from './random';
import type { ChunkStore, Clock, Hasher, MetadataSeal } from './types';
import { Downloader } from './downloader';
import { Uploader } from './uploader';
import { ChokeManager } from './choke-manager';
import { MetadataExchange, type InstallMetadata } from './metadata-exchange';
import { SuperSeeder } from './super-seeder';
import { PassOnWatch } from './pass-on';
import { Reciprocity } from './reciprocity';

export interface CoreDeps {
  infoHash: Uint8Array;
  localPeerId: string;
  store: ChunkStore;
  clock: Clock;
  hasher: Hasher;
  random: Random;
  config: EngineConfig;
  /** Private shares: the metadata is exchanged sealed (types.ts, MetadataSeal). */
  metadataSeal: MetadataSeal | undefined;
  /** Verified metadata fetched from a neighbor: the facade installs it (ledger, store listing). */
  installMetadata: InstallMetadata;
}

/**
 * What the core tells every module about a neighbor's life. Each module keeps its own state per
 * neighbor; the core only owns the link-level facts on `Neighbor`.
 */
export interface NeighborHooks {
  /** The link is up (before its handshake): the module creates its state for it. */
  onNeighborAdded?(n: Neighbor): void;
  /** The link is gone (closed, dropped, banned): the module lets go of it. */
  onNeighborGone?(n: Neighbor): void;
}

export class EngineCore {
  readonly infoHash: Uint8Array;
  /** Changes only through SwarmEngine.setLocalPeerId (the tracker gave us a new id). */
  localPeerId: string;
  readonly store: ChunkStore;
  readonly clock: Clock;
  readonly hasher: Hasher;
  readonly random: Random;
  readonly config: EngineConfig;
  readonly metadataSeal: MetadataSeal | undefined;

  metadata: ShareMetadata | undefined;
  encodedMetadata: Uint8Array | undefined;
  /** What neighbors get when they ask for the metadata: `encodedMetadata`, sealed for a private share. */
  wireMetadata: Uint8Array | undefined;
  /** Present once metadata is known. */
  ledger: ChunkLedger | undefined;
  availability: Uint16Array = new Uint16Array(0);
  /**
   * One frozen `have` message per chunk, made on first use and shared by every send of it (a
   * verified chunk is announced to every neighbor: in a 1,000-peer simulation these were most of
   * the objects allocated). Messages are never mutated once sent, like the CHOKE etc. constants.
   */
  private haveMessages: Array<HaveMessage | undefined> = [];

  readonly neighbors = new Map<string, Neighbor>();
  readonly banned = new Map<string, string>();
  readonly listeners = new Set<EngineEventListener>();
  readonly downMeter: RateMeter;
  readonly upMeter: RateMeter;
  readonly upBucket: TokenBucket;
  readonly downBucket: TokenBucket;
  destroyed = false;
  completeEmitted = false;

  readonly download: Downloader;
  readonly upload: Uploader;
  readonly choke: ChokeManager;
  readonly meta: MetadataExchange;
  readonly superSeed: SuperSeeder;
  readonly reciprocity: Reciprocity;
  readonly passOn: PassOnWatch;
  /** The modules in the order they hear of a neighbor's arrival, handshake and departure. */
  private readonly hooks: readonly NeighborHooks[];

  /**
   * Tells a neighbor what we have: the bitfield, or under super-seeding the first chunks shown.
   * An empty bitfield is sent too: it tells a neighbor still without metadata that we now have it.
   */
  announceTo(n: Neighbor): void {
    if (this.superSeed.active) return this.superSeed.start(n);
    if (this.ledger) this.send(n, { type: 'bitfield', bits: this.ledger.have.toBytes() });
  }

  constructor(deps: CoreDeps) {
    this.infoHash = deps.infoHash;
    this.localPeerId = deps.localPeerId;
    this.store = deps.store;
    this.clock = deps.clock;
    this.hasher = deps.hasher;
    this.random = deps.random;
    this.config = deps.config;
    this.metadataSeal = deps.metadataSeal;
    const now = deps.clock.now();
    this.downMeter = new RateMeter(deps.config.rateWindowMs, now);
    this.upMeter = new RateMeter(deps.config.rateWindowMs, now);
    this.upBucket = new TokenBucket(deps.config.upBytesPerSec, now);
    this.downBucket = new TokenBucket(deps.config.downBytesPerSec, now);
    // Built last: their constructors may read the fields above, never each other.
    this.download = new Downloader(this);
    this.upload = new Uploader(this);
    this.choke = new ChokeManager(this);
    this.meta = new MetadataExchange(this, deps.installMetadata);
    this.superSeed = new SuperSeeder(this);
    this.reciprocity = new Reciprocity(this);
    this.passOn = new PassOnWatch(this);
    this.hooks = [this.download, this.choke, this.meta, this.superSeed, this.reciprocity, this.upload];
  }

  /** A new link: every module sets up its state for it. */
  neighborAdded(n: Neighbor): void {
    for (const h of this.hooks) h.onNeighborAdded?.(n);
  }

  now(): number {
    return this.clock.now();
  }

  haveMessage(index: number): HaveMessage {
    if (this.haveMessages.length === 0 && this.ledger)
      this.haveMessages = new Array<HaveMessage | undefined>(this.ledger.chunkCount).fill(undefined);
    return (this.haveMessages[index] ??= Object.freeze({ type: 'have', index }));
  }

  get complete(): boolean {
    return this.ledger?.isComplete ?? false;
  }

  send(n: Neighbor, message: WireMessage): void {
    if (n.removed) return;
    n.lastSentAt = this.clock.now();
    try {
      n.link.send(message);
    } catch (error) {
      // A transport that throws on send (closed channel, queue overflow) ends that link only.
      this.emit({ type: 'peer-error', peerId: n.peerId, error: error as Error });
      this.dropNeighbor(n, 'error');
    }
  }

  emit(event: EngineEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        // A listener's bug must not corrupt the engine; surface it as an unhandled rejection.
        void Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /** The neighbor broke the protocol: report it and close that link; nothing else is affected. */
  protocolError(n: Neighbor, message: string): void {
    if (n.removed) return;
    this.emit({ type: 'peer-error', peerId: n.peerId, error: new PeerProtocolError(n.peerId, message) });
    this.dropNeighbor(n, 'error');
  }

  /** Refuses a peer for the life of this engine (it sent data that failed verification). */
  ban(peerId: string, reason: string): void {
    if (this.banned.has(peerId)) return;
    this.banned.set(peerId, reason);
    this.emit({ type: 'banned', peerId, reason });
    const n = this.neighbors.get(peerId);
    if (n) this.dropNeighbor(n, 'banned');
  }

  dropNeighbor(n: Neighbor, reason: PeerRemovedReason): void {
    if (n.removed) return;
    n.removed = true;
    for (const off of n.unsubscribe) off();
    if (this.neighbors.get(n.peerId) === n) this.neighbors.delete(n.peerId);
    for (const h of this.hooks) h.onNeighborGone?.(n);
    try {
      n.link.close();
    } catch {
      // already closed
    }
    this.emit({ type: 'peer-removed', peerId: n.peerId, reason });
    if (!this.destroyed) this.download.fillAll();
  }
}
