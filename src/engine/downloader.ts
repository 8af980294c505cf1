/**
 * The download side: what neighbors have (bitfield/have, availability), interest, the request
 * pipeline (queue depth ~ requestQueueSeconds of the neighbor's measured rate), received blocks,
 * endgame cancels, hash check before store/announce, ban on a bad chunk, snubbing and timeouts.
 */
import { chunkHash, bytesEqual } from '../protocol/metadata';
import { INTERESTED, NOT_INTERESTED, MAX_CHUNK_COUNT } from '../protocol/wire-messages';
import { Bitfield, isValidBitfield } from './bitfield';
import type { EngineCore, NeighborHooks } from './core';
import { ChunkStoreError } from './errors';
import { blockKey, keyBlock, keyIndex, type Neighbor } from './neighbor';
import { pickBlock, type PickContext } from './picker';
import type { ChunkLedger } from './ledger';
import { RateMeter } from './rate';
import type { TimerHandle } from './types';

/** The block size the snub and request timeouts are specified for. */
export const REFERENCE_BLOCK_BYTES = 16 * 1024;

/**
 * The bits a neighbor announced before we had metadata (wire layout), grown to the highest byte
 * announced so far. Sized for the largest possible share (MAX_CHUNK_COUNT bits, 32 KiB) it cost a
 * zero-filled 32 KiB per neighbor and a scan of all of it once metadata came: every neighbor of
 * every peer in a swarm's first seconds.
 */
function pendingBytes(d: Fetching, byteLength: number): Uint8Array {
  const current = d.pendingHave;
  if (current && current.length >= byteLength) return current;
  const grown = new Uint8Array(Math.min(MAX_CHUNK_COUNT / 8, Math.max(byteLength, 2 * (current?.length ?? 0))));
  if (current) grown.set(current);
  d.pendingHave = grown;
  return grown;
}

/** The download side of one neighbor. */
class Fetching {
  /** We told it we are interested (BEP 3's am_interested). */
  amInterested = false;
  /** It chokes us (BEP 3's peer_choking). */
  peerChoking = true;
  /** It has unchoked us at least once: it gives (the choker's and uploader's help goes to givers first). */
  everUnchokedUs = false;
  /** We wait on it and it sent no block for snubTimeoutMs: one request at a time until it sends. */
  snubbed = false;
  /** How many of its chunks we lack (interest without a scan). */
  wanted = 0;
  /** Before we have metadata: bits it announced (wire layout, grown as needed), checked against the chunk count later. */
  pendingHave: Uint8Array | undefined;
  /** Our requests to it: blockKey -> time sent. */
  readonly requestsOut = new Map<number, number>();
  /** Requests to it we gave up (its choke, a timeout, snubbing): blockKey -> when (late pieces are kept). */
  readonly releasedOut = new Map<number, number>();
  /** The picker's context for this neighbor, reused across fills. */
  pickContext: PickContext | undefined;
  /** Last block from it, or when we started waiting on it (snub detection). */
  lastBlockAt: number;
  /** What it sends us. */
  readonly down: RateMeter;

  constructor(rateWindowMs: number, now: number) {
    this.lastBlockAt = now;
    this.down = new RateMeter(rateWindowMs, now);
  }
}

/** This module's slot on each neighbor: the key is not exported, so no other module reaches the state. */
const FETCHING = Symbol('Fetching');
type Slotted = Neighbor & { [FETCHING]: Fetching };

export class Downloader implements NeighborHooks {
  private resumeTimer: TimerHandle | undefined;

  constructor(private readonly core: EngineCore) {}

  onNeighborAdded(n: Neighbor): void {
    (n as Slotted)[FETCHING] = new Fetching(this.core.config.rateWindowMs, this.core.now());
  }

  private of(n: Neighbor): Fetching {
    return (n as Slotted)[FETCHING];
  }

  /** It sent no block for snubTimeoutMs while we waited on it (it loses its regular slot at us). */
  /** `n` has unchoked us at least once (tit-for-tat: it gives). */
  hasUnchokedUs(n: Neighbor): boolean {
    return this.of(n).everUnchokedUs;
  }

  isSnubbed(n: Neighbor): boolean {
    return this.of(n).snubbed;
  }

  /** Its rate to us, bytes per second (a leecher's tit-for-tat ranking). */
  rateFrom(n: Neighbor, now: number): number {
    return this.of(n).down.get(now);
  }

  /** We told it we are interested. */
  isInterestedIn(n: Neighbor): boolean {
    return this.of(n).amInterested;
  }

  /** For the snapshot. */
  statsOf(n: Neighbor, now: number) {
    const d = this.of(n);
    return {
      amInterested: d.amInterested,
      peerChoking: d.peerChoking,
      snubbed: d.snubbed,
      downRate: d.down.get(now),
      bytesDown: d.down.total,
      requestsOut: d.requestsOut.size,
    };
  }

  /** Metadata and ledger just appeared: turn what neighbors announced so far into bitfields. */
  onLedgerReady(): void {
    for (const n of [...this.core.neighbors.values()]) {
      if (!n.handshaked) continue;
      this.adoptPending(n);
      if (!n.removed) this.updateInterest(n);
    }
    this.fillAll();
  }

  onHandshake(n: Neighbor): void {
    if (this.core.ledger) n.have = new Bitfield(this.core.ledger.chunkCount);
  }

  /** May the engine download from this neighbor at all? (Client-server mode: only from the origin.) */
  eligible(n: Neighbor): boolean {
    return n.handshaked && (this.core.config.mode !== 'cs' || n.isOrigin);
  }

  onBitfield(n: Neighbor, bits: Uint8Array): void {
    const ledger = this.core.ledger;
    if (!ledger || !n.have) {
      if (bits.length > MAX_CHUNK_COUNT / 8) return this.core.protocolError(n, 'bitfield too long');
      const pending = pendingBytes(this.of(n), bits.length);
      for (let j = 0; j < bits.length; j++) pending[j]! |= bits[j]!;
      return;
    }
    if (!isValidBitfield(bits, ledger.chunkCount))
      return this.core.protocolError(n, 'bitfield does not match the chunk count');
    const mine = n.have.bytes;
    for (let j = 0; j < bits.length; j++) {
      const fresh = bits[j]! & ~mine[j]!;
      if (fresh === 0) continue;
      for (let bit = 0; bit < 8; bit++) if (fresh & (0x80 >> bit)) this.addHave(n, j * 8 + bit);
    }
    this.updateInterest(n);
    this.fill(n);
  }

  onHave(n: Neighbor, index: number): void {
    const ledger = this.core.ledger;
    if (!Number.isInteger(index) || index < 0) return this.core.protocolError(n, 'bad have index');
    if (!ledger || !n.have) {
      if (index >= MAX_CHUNK_COUNT) return this.core.protocolError(n, `have ${index} beyond any share`);
      pendingBytes(this.of(n), (index >> 3) + 1)[index >> 3]! |= 0x80 >> (index & 7);
      return;
    }
    if (index >= ledger.chunkCount) return this.core.protocolError(n, `have ${index} beyond the last chunk`);
    if (!this.addHave(n, index) || ledger.have.has(index)) return;
    if (!this.of(n).amInterested) this.updateInterest(n);
    this.fill(n);
  }

  private addHave(n: Neighbor, index: number): boolean {
    if (!n.have!.set(index)) return false;
    this.core.availability[index]!++;
    if (!this.core.ledger!.have.has(index)) this.of(n).wanted++;
    return true;
  }

  private adoptPending(n: Neighbor): void {
    const count = this.core.ledger!.chunkCount;
    n.have = new Bitfield(count);
    const pending = this.of(n).pendingHave;
    this.of(n).pendingHave = undefined;
    if (!pending) return;
    const bytes = pending;
    for (let j = 0; j < bytes.length; j++) {
      if (bytes[j] === 0) continue;
      for (let bit = 0; bit < 8; bit++) {
        if (!(bytes[j]! & (0x80 >> bit))) continue;
        const index = j * 8 + bit;
        if (index >= count) return this.core.protocolError(n, `announced chunk ${index} beyond the last chunk`);
        this.addHave(n, index);
      }
    }
  }

  updateInterest(n: Neighbor): void {
    const ledger = this.core.ledger;
    const want = !!ledger && !ledger.isComplete && this.of(n).wanted > 0 && this.eligible(n);
    if (want === this.of(n).amInterested) return;
    this.of(n).amInterested = want;
    this.core.send(n, want ? INTERESTED : NOT_INTERESTED);
  }

  onChoke(n: Neighbor): void {
    this.of(n).peerChoking = true;
    if (this.of(n).requestsOut.size === 0) return;
    this.releaseRequests(n, false); // a choke discards our pending requests (BEP 3)
    this.fillAll();
  }

  onUnchoke(n: Neighbor): void {
    const wasChoking = this.of(n).peerChoking;
    this.of(n).peerChoking = false;
    this.of(n).everUnchokedUs = true;
    if (wasChoking) this.of(n).lastBlockAt = this.core.now();
    this.fill(n);
  }

  /** Requests in flight to `n`: ~requestQueueSeconds of its rate in blocks, within the min/max. */
  queueDepth(n: Neighbor): number {
    const { config, ledger } = this.core;
    if (this.of(n).snubbed) return 1;
    const bytes = config.requestQueueSeconds * this.of(n).down.get(this.core.now());
    const depth = Math.ceil(bytes / ledger!.blockSize);
    return Math.max(config.minQueueDepth, Math.min(config.maxQueueDepth, depth));
  }

  fill(n: Neighbor): void {
    const core = this.core;
    const ledger = core.ledger;
    if (
      !ledger ||
      ledger.isComplete ||
      n.removed ||
      this.of(n).peerChoking ||
      !this.of(n).amInterested ||
      !n.have ||
      core.destroyed
    )
      return;
    const depth = this.queueDepth(n);
    if (this.of(n).requestsOut.size >= depth) return;
    const now = core.now();
    if (this.of(n).requestsOut.size === 0) this.of(n).lastBlockAt = now;
    const ctx = this.pickContext(n, ledger);
    while (this.of(n).requestsOut.size < depth && !n.removed) {
      if (!core.downBucket.canSpend(now)) {
        this.scheduleResume();
        return;
      }
      const pick = pickBlock(ctx);
      if (!pick) return;
      ledger.reserve(pick.index, pick.block, n.peerId);
      const length = ledger.blockLength(pick.index, pick.block);
      this.of(n).requestsOut.set(blockKey(pick.index, pick.block), now);
      core.downBucket.spend(length, now);
      core.send(n, { type: 'request', index: pick.index, offset: pick.block * ledger.blockSize, length });
    }
  }

  /** One reusable pick context per neighbor (fill runs per received message: no allocation there). */
  private pickContext(n: Neighbor, ledger: ChunkLedger): PickContext {
    const core = this.core;
    let ctx = this.of(n).pickContext;
    if (!ctx || ctx.ledger !== ledger) {
      ctx = {
        ledger,
        availability: core.availability,
        peerHas: n.have!,
        peerId: n.peerId,
        random: core.random,
        sequential: false,
        randomFirst: 0,
        endgame: false,
        endgameMaxRequests: 0,
        inFlight: () => this.of(n).requestsOut.size,
        requestedFrom: (index, block) => this.of(n).requestsOut.has(blockKey(index, block)),
      };
      this.of(n).pickContext = ctx;
    }
    const c = core.config;
    ctx.peerHas = n.have!;
    ctx.availability = core.availability;
    ctx.sequential = c.sequential;
    ctx.randomFirst = c.randomFirstChunks;
    ctx.endgame = c.endgame;
    ctx.endgameMaxRequests = c.endgameMaxRequests;
    return ctx;
  }

  fillAll(): void {
    for (const n of this.core.neighbors.values()) this.fill(n);
  }

  private scheduleResume(): void {
    if (this.resumeTimer !== undefined) return;
    const wait = Math.max(1, this.core.downBucket.waitMs(this.core.now()));
    this.resumeTimer = this.core.clock.setTimeout(() => {
      this.resumeTimer = undefined;
      if (!this.core.destroyed) this.fillAll();
    }, wait);
  }

  onPiece(n: Neighbor, index: number, offset: number, data: Uint8Array): void {
    const core = this.core;
    const ledger = core.ledger;
    if (!ledger) return core.protocolError(n, 'piece before metadata');
    if (!Number.isInteger(index) || index < 0 || index >= ledger.chunkCount)
      return core.protocolError(n, `piece for chunk ${index} out of range`);
    const block = offset / ledger.blockSize;
    if (
      !Number.isInteger(block) ||
      block >= ledger.blockCount(index) ||
      data.length !== ledger.blockLength(index, block)
    ) {
      return core.protocolError(n, `piece ${index}@${offset}+${data.length} is not a block we ask for`);
    }
    const now = core.now();
    this.of(n).down.add(data.length, now);
    core.downMeter.add(data.length, now);
    const key = blockKey(index, block);
    const requested = this.of(n).requestsOut.delete(key);
    // Not requested, or given up and no longer wanted: allowed, ignored.
    if (!requested && !this.takesLatePiece(n, key, index, block)) return;
    this.of(n).lastBlockAt = now;
    this.of(n).snubbed = false;
    if (ledger.wants(index, block)) {
      // Other requests for the block (endgame, or asked elsewhere after we gave this one up) are cancelled.
      if (ledger.reservationsOf(index, block) > (requested ? 1 : 0)) this.cancelDuplicates(n, key, index, block);
      if (ledger.set(index, block, data, n.peerId)) void this.verify(index, n.peerId);
    }
    this.fill(n);
  }

  /**
   * A late piece: a block we asked `n` for, gave up on (its choke, a timeout, snubbing), and still
   * lack (and that `n` may fill). Kept rather than dropped: a choke and an unchoke can cross our
   * request, and the neighbor then serves a request we dropped at the choke.
   */
  private takesLatePiece(n: Neighbor, key: number, index: number, block: number): boolean {
    if (!this.of(n).releasedOut.delete(key)) return false;
    const ledger = this.core.ledger!;
    const owner = ledger.active.get(index)?.owner;
    return ledger.wants(index, block) && (owner === undefined || owner === n.peerId);
  }

  private cancelDuplicates(from: Neighbor, key: number, index: number, block: number): void {
    const length = this.core.ledger!.blockLength(index, block);
    const offset = block * this.core.ledger!.blockSize;
    for (const other of this.core.neighbors.values()) {
      if (other !== from && this.of(other).requestsOut.delete(key))
        this.core.send(other, { type: 'cancel', index, offset, length });
    }
  }

  /** Hash check, then store, then announce. A failed chunk bans its only source and is fetched again. */
  private async verify(index: number, lastFrom: string): Promise<void> {
    const core = this.core;
    const ledger = core.ledger!;
    const { data, sources } = ledger.takeChunk(index);
    let ok = false;
    try {
      ok = bytesEqual(await core.hasher.sha256(data), chunkHash(core.metadata!, index));
    } catch (error) {
      core.emit({ type: 'error', error: error as Error });
    }
    if (core.destroyed) return;
    if (!ok) {
      ledger.reset(index);
      if (sources.size === 1) core.ban([...sources][0]!, `sent chunk ${index} that failed its hash check`);
      else ledger.suspect.add(index); // several sources: refetch from one peer, who is banned if it fails again
      this.fillAll();
      return;
    }
    try {
      await core.store.put(index, data);
    } catch (error) {
      if (core.destroyed) return;
      ledger.reset(index);
      core.emit({
        type: 'error',
        error: new ChunkStoreError(`could not store chunk ${index}: ${(error as Error).message}`, error),
      });
      this.fillAll();
      return;
    }
    if (core.destroyed) return;
    ledger.complete(index);
    this.onChunkVerified(index, lastFrom);
  }

  private onChunkVerified(index: number, from: string): void {
    const core = this.core;
    core.emit({ type: 'chunk', index, from });
    const have = core.haveMessage(index);
    for (const n of core.neighbors.values()) {
      if (!n.handshaked || n.removed) continue;
      const theyHave = n.have?.has(index) ?? false;
      if (theyHave) {
        this.of(n).wanted--;
        if (this.of(n).wanted === 0) this.updateInterest(n);
      }
      // Sent to those that have it too: the UI shows accurate bitfields of every neighbor.
      core.send(n, have);
    }
    if (core.complete && !core.completeEmitted) {
      core.completeEmitted = true;
      core.emit({ type: 'complete' });
      for (const n of [...core.neighbors.values()]) this.updateInterest(n);
      // A seeder ranks by what neighbors lack: switch now, not at the next periodic rechoke.
      core.choke.rechoke(false);
    }
  }

  /** Gives up our requests to `n` (choked, snubbed, gone, mode change). */
  releaseRequests(n: Neighbor, sendCancel: boolean): void {
    const ledger = this.core.ledger;
    if (!ledger) return;
    const now = this.core.now();
    for (const key of this.of(n).requestsOut.keys()) {
      const index = keyIndex(key);
      const block = keyBlock(key);
      ledger.cancel(index, block);
      this.of(n).releasedOut.set(key, now);
      if (sendCancel)
        this.core.send(n, {
          type: 'cancel',
          index,
          offset: block * ledger.blockSize,
          length: ledger.blockLength(index, block),
        });
    }
    this.of(n).requestsOut.clear();
  }

  onNeighborGone(n: Neighbor): void {
    this.releaseRequests(n, false);
    if (n.have) {
      const bytes = n.have.bytes;
      for (let j = 0; j < bytes.length; j++) {
        if (bytes[j] === 0) continue;
        for (let bit = 0; bit < 8; bit++) if (bytes[j]! & (0x80 >> bit)) this.core.availability[j * 8 + bit]!--;
      }
    }
    // A partial chunk no connected neighbor can finish: free its buffer (it starts over later).
    const ledger = this.core.ledger;
    if (!ledger) return;
    for (const a of [...ledger.active.values()]) if (this.core.availability[a.index] === 0) ledger.reset(a.index);
  }

  /**
   * Housekeeping: snub neighbors that send nothing, give up requests that time out. The timeouts
   * are meant for 16 KiB blocks (BitTorrent's); larger blocks take proportionally longer to
   * arrive, so the timeouts scale with the block size (a 256 KiB block at 10 KiB/s takes 25 s).
   */
  tick(now: number): void {
    const { config, ledger } = this.core;
    if (!ledger) return;
    const scale = Math.max(1, ledger.blockSize / REFERENCE_BLOCK_BYTES);
    const snubAfter = config.snubTimeoutMs * scale;
    const timeoutAfter = config.requestTimeoutMs * scale;
    let released = false;
    for (const n of [...this.core.neighbors.values()]) {
      for (const [key, at] of this.of(n).releasedOut) if (now - at >= timeoutAfter) this.of(n).releasedOut.delete(key);
      if (this.of(n).requestsOut.size === 0) continue;
      if (!this.of(n).snubbed && now - this.of(n).lastBlockAt >= snubAfter) {
        this.of(n).snubbed = true;
        this.releaseRequests(n, true);
        released = true;
        continue;
      }
      for (const [key, sentAt] of this.of(n).requestsOut) {
        if (now - sentAt < timeoutAfter) continue;
        this.of(n).requestsOut.delete(key);
        const index = keyIndex(key);
        const block = keyBlock(key);
        ledger.cancel(index, block);
        this.of(n).releasedOut.set(key, now);
        this.core.send(n, {
          type: 'cancel',
          index,
          offset: block * ledger.blockSize,
          length: ledger.blockLength(index, block),
        });
        released = true;
      }
    }
    if (released) this.fillAll();
  }
}
