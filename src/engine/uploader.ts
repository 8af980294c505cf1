/**
 * The upload side: neighbors' requests queued per neighbor, served while they are unchoked, under
 * the upload token bucket, and never past the transport's high-water mark (resumed on drain).
 * A few recently read chunks are cached so 16 KiB blocks of one chunk cost one store read.
 */
import type { CancelMessage, RequestMessage } from '../protocol/wire-messages';
import { Bitfield } from './bitfield';
import type { EngineCore, NeighborHooks } from './core';
import { type IncomingRequest, type Neighbor } from './neighbor';
import { RateMeter } from './rate';
import type { TimerHandle } from './types';

const CACHE_CHUNKS = 4;
/** spreadOf's rank of a chunk that spread: after any count of copies we sent (givenTo is a Uint16). */
const SPREAD = 2 ** 16;
/** The first uplink-cap retry, before any drain rate is known. */
const FIRST_RETRY_MS = 10;

/**
 * When the uplink (queue cap or rate cap) makes neighbors wait, the neighbor with the most of a
 * chunk sent goes first, so that chunk is finished before another is started (served block by block in turn,
 * 8 neighbors' first chunks all completed only after 8 chunk times, none could be passed on
 * sooner); then the one holding the fewest chunks: a chunk given to a peer with little turns on an
 * uplink that was idle, and a laggard catches up (the swarm finishes when its slowest member does).
 */
const fewestChunksFirst = (x: Serving, y: Serving) => (x.neighbor.have?.count ?? 0) - (y.neighbor.have?.count ?? 0);
const partChunksFirst = (x: Serving, y: Serving) => y.partlySent - x.partlySent || fewestChunksFirst(x, y);

/** The upload side of one neighbor. */
class Serving {
  /** Its requests to us, in arrival order. */
  requestsIn: IncomingRequest[] = [];
  /** It waits in the list of neighbors held back by the uplink queue cap. */
  blocked = false;
  /** A block read/send for it is in progress. */
  reading = false;
  /** Bytes of a chunk we sent it, until we send that chunk's last block (such a chunk is finished first). */
  partlySent = 0;
  /** What we send it. */
  readonly up: RateMeter;
  /** Chunks whose last block we sent it (super-seeding: who holds a chunk only because we gave it). */
  given: Bitfield | undefined;

  constructor(
    readonly neighbor: Neighbor,
    rateWindowMs: number,
    now: number,
  ) {
    this.up = new RateMeter(rateWindowMs, now);
  }
}

/** This module's slot on each neighbor: the key is not exported, so no other module reaches the state. */
const SERVING = Symbol('Serving');
type Slotted = Neighbor & { [SERVING]: Serving };

export class Uploader implements NeighborHooks {
  private readonly waiting = new Set<Serving>();
  /**
   * Neighbors held back by the uplink queue cap, in the order they asked (served first on drain);
   * `Serving.blocked` marks membership. An array, not a Set: it is taken, sorted and
   * refilled on every drain and retry (a Set's copy and clear allocated each time).
   */
  private blocked: Serving[] = [];
  /** Bytes read from the store for sending but not yet handed to a link (they count against the cap). */
  private reading = 0;
  private timer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  /** The links' drain rate seen at the last retry (bytes/s; 0: not known yet), and what the retry started from. */
  private drainBps = 0;
  private retryFrom = { at: 0, buffered: 0, sent: 0 };
  private readonly cache = new Map<number, Uint8Array>();

  /** Per chunk: how many present neighbors we sent its last block to (unspread chunks first, below). */
  private givenTo: Uint16Array = new Uint16Array(0);

  constructor(private readonly core: EngineCore) {}

  onNeighborAdded(n: Neighbor): void {
    (n as Slotted)[SERVING] = new Serving(n, this.core.config.rateWindowMs, this.core.now());
  }

  private of(n: Neighbor): Serving {
    return (n as Slotted)[SERVING];
  }

  /** It has a request queued at us or a block on its way out (our uplink works for it). */
  isBusyWith(n: Neighbor): boolean {
    const u = this.of(n);
    return u.requestsIn.length > 0 || u.reading;
  }

  /** For the snapshot: requests it has queued at us, our rate to it, bytes sent. */
  statsOf(n: Neighbor, now: number): { requestsIn: number; upRate: number; bytesUp: number } {
    const u = this.of(n);
    return { requestsIn: u.requestsIn.length, upRate: u.up.get(now), bytesUp: u.up.total };
  }

  /**
   * Who goes first when the uplink makes neighbors wait. A super-seeding sharer first serves
   * requests for chunks that have not spread: held by nobody, or only by neighbors we sent them
   * to; and it serves each neighbor's own requests in that order too (scarcestFirst). Near the end
   * a downloader asks it for a shown chunk that its other neighbors already hold, and every such
   * copy delays the last distinct chunk by a chunk time. And a chunk we gave only to neighbors
   * that never pass it on (free riders) is one that only we can give the others: queued behind
   * requests for common chunks, with the laggards first below, it waited as long as laggards kept
   * asking (docs/ENGINE.md, "Free riders and tit-for-tat").
   */
  private serveOrder(): (x: Serving, y: Serving) => number {
    // Decided once per sort, not per comparison (a resumeBlocked runs on every drain and retry).
    // A leecher serves neighbors that have unchoked it before those that never did (tit-for-tat
    // at the uplink: a free rider gets what the givers leave; a seeder serves everyone alike).
    const download = this.core.download;
    const base = this.core.complete
      ? partChunksFirst
      : (x: Serving, y: Serving) =>
          Number(download.hasUnchokedUs(y.neighbor)) - Number(download.hasUnchokedUs(x.neighbor)) ||
          partChunksFirst(x, y);
    if (!this.core.superSeed.active) return base;
    const spread = new Map<Serving, number>();
    const of = (u: Serving) => spread.get(u) ?? spread.set(u, this.scarcest(u).spread).get(u)!;
    return (x, y) => of(x) - of(y) || base(x, y);
  }

  /**
   * How urgently only we can give the chunk: a chunk that has not spread (no neighbor holds it but
   * those we sent it to) ranks by how many copies we sent, 0 for one we never sent; one that
   * spread ranks last. A copy we sent once and one held only by neighbors we sent it to rank before
   * chunks others hold: either reaches the others only through us, until a holder passes it on.
   * Fewest copies first: a copy we sent a second time (a neighbor asked before the first receiver
   * announced it) delays a chunk we sent once, or never, by a chunk time.
   */
  private spreadOf(index: number): number {
    const given = this.givenTo[index] ?? 0;
    return (this.core.availability[index] ?? 0) <= given ? given : SPREAD;
  }

  /** The first of its requests for the least spread chunk (a chunk partly sent is finished first). */
  private scarcest(u: Serving): { at: number; spread: number } {
    const requests = u.requestsIn;
    if (requests.length === 0) return { at: -1, spread: SPREAD + 1 };
    let best = { at: 0, spread: this.spreadOf(requests[0]!.index) };
    if (u.partlySent > 0) return best;
    for (let i = 1; i < requests.length && best.spread > 0; i++) {
      const spread = this.spreadOf(requests[i]!.index);
      if (spread < best.spread) best = { at: i, spread };
    }
    return best;
  }

  /** A super-seeding sharer serves a neighbor's requests for the least spread chunk first (their blocks in order). */
  private scarcestFirst(u: Serving): void {
    if (!this.core.superSeed.active) return;
    const { at } = this.scarcest(u);
    if (at <= 0) return;
    const index = u.requestsIn[at]!.index;
    const chunk = u.requestsIn.filter((r) => r.index === index);
    u.requestsIn = [...chunk, ...u.requestsIn.filter((r) => r.index !== index)];
  }

  onRequest(n: Neighbor, m: RequestMessage): void {
    const ledger = this.core.ledger;
    if (!ledger) return this.core.protocolError(n, 'request before we announced any chunk');
    const { index, offset, length } = m;
    if (!Number.isInteger(index) || index < 0 || index >= ledger.chunkCount)
      return this.core.protocolError(n, `request for chunk ${index} out of range`);
    const maxLength = Math.min(n.link.maxBlockBytes, ledger.geometry.chunkSize);
    if (
      !Number.isInteger(offset) ||
      !Number.isInteger(length) ||
      offset < 0 ||
      length < 1 ||
      length > maxLength ||
      offset + length > ledger.chunkLength(index)
    ) {
      return this.core.protocolError(n, `request ${index}@${offset}+${length} is outside the chunk or too long`);
    }
    if (this.core.choke.isChoking(n)) return; // BEP 3: requests while choked are dropped
    if (!ledger.have.has(index)) return; // never announced (e.g. a stale resync): ignore
    const u = this.of(n);
    if (u.requestsIn.length >= this.core.config.maxIncomingRequests)
      return this.core.protocolError(n, 'too many queued requests');
    u.requestsIn.push({ index, offset, length });
    this.core.superSeed.onRequest(n, index);
    this.serve(n);
  }

  onCancel(n: Neighbor, m: CancelMessage): void {
    const u = this.of(n);
    const i = u.requestsIn.findIndex((r) => r.index === m.index && r.offset === m.offset && r.length === m.length);
    if (i >= 0) u.requestsIn.splice(i, 1);
  }

  /** Choking a neighbor discards its queued requests. */
  dropRequests(n: Neighbor): void {
    const u = this.of(n);
    u.requestsIn = [];
    this.waiting.delete(u);
    if (u.blocked) {
      u.blocked = false;
      this.blocked.splice(this.blocked.indexOf(u), 1);
    }
  }

  /** Sends what can be sent to `n` now; called on request, unchoke, drain and token refill. */
  serve(n: Neighbor): void {
    const core = this.core;
    const u = this.of(n);
    while (!u.reading && !n.removed && !this.core.choke.isChoking(n) && u.requestsIn.length > 0 && !core.destroyed) {
      this.scarcestFirst(u);
      const r = u.requestsIn[0]!;
      const buffered = n.link.bufferedAmount;
      if (buffered > 0 && buffered + r.length > core.config.highWaterBytes) return; // resumed by onDrain
      if (this.uplinkFull(r.length)) {
        this.block(u);
        return;
      }
      const now = core.now();
      if (!core.upBucket.canSpend(now, r.length)) {
        this.waiting.add(u);
        this.schedule(r.length);
        return;
      }
      if (core.reciprocity.holdMs(n, r.length, now) > 0) return; // a defector beyond its share: served again later
      u.requestsIn.shift();
      core.upBucket.spend(r.length, now);
      core.reciprocity.spent(n, r.length, now);
      const cached = this.cache.get(r.index);
      if (cached) {
        this.sendBlock(n, r, cached);
        continue;
      }
      u.reading = true;
      this.reading += r.length;
      void this.readAndSend(n, r);
    }
    if (u.requestsIn.length === 0 && !u.reading) {
      core.choke.fillIdle();
      core.superSeed.onMaybeIdle();
    }
  }

  /** A link drained or a read finished: the neighbors held back by the uplink cap go first, then `n`. */
  drained(n: Neighbor): void {
    this.resumeBlocked();
    this.serve(n);
  }

  private resumeBlocked(): void {
    const held = this.blocked;
    if (held.length === 0) return;
    this.blocked = [];
    for (const m of held) m.blocked = false;
    if (held.length > 1) held.sort(this.serveOrder());
    for (const m of held) {
      if (this.blocked.length > 0)
        this.block(m); // the cap is full again: keep their order
      else this.serve(m.neighbor);
    }
  }

  private block(u: Serving): void {
    if (u.blocked) return;
    u.blocked = true;
    this.blocked.push(u);
  }

  /** Sending `length` more would put more than uplinkQueueBytes on all links together (one send always may). */
  private uplinkFull(length: number): boolean {
    // Client-server: nobody passes a chunk on, so finishing one receiver first gains nothing.
    if (this.core.config.mode === 'cs') return false;
    const cap = this.core.config.uplinkQueueBytes ?? this.defaultCap();
    if (!Number.isFinite(cap)) return false;
    let total = this.reading;
    for (const m of this.core.neighbors.values()) total += m.link.bufferedAmount;
    if (total === 0 || total + length <= cap) return false;
    this.scheduleRetry(total + length - cap);
    return true;
  }

  /**
   * What the uplink sends in uplinkQueueSeconds (a fast uplink must not idle between wake-ups),
   * within one to uplinkQueueChunks chunks (a chunk waits one chunk time per chunk queued before it).
   */
  private defaultCap(): number {
    const chunk = this.core.ledger?.geometry.chunkSize ?? Infinity;
    const { uplinkQueueSeconds, uplinkQueueChunks } = this.core.config;
    const seconds = this.core.upMeter.get(this.core.now()) * uplinkQueueSeconds;
    return Math.max(chunk, Math.min(seconds, uplinkQueueChunks * chunk));
  }

  /**
   * Links report a drain only when they fall below their own low-water mark, which small blocks
   * never pass. A link that can report when its next bytes leave (`onceBelow`) is asked to; for
   * the others the engine wakes itself up when the excess should have left. That time
   * comes from how fast the links drained at the last wake-up, not from the upload rate meter: the
   * meter measures what we sent, which these wake-ups pace, so a rate it measured low (it starts at
   * zero) kept the uplink waking late, at that same low rate (a sharer with 16 KiB chunks sent at
   * 16 % of its uplink for its first second).
   */
  private scheduleRetry(excessBytes: number): void {
    if (this.askLinks()) return;
    if (this.retryTimer !== undefined) return;
    const rate = this.drainBps;
    const wait = rate > 0 ? Math.min(200, Math.max(2, (excessBytes / rate) * 1000)) : FIRST_RETRY_MS;
    this.retryFrom = { at: this.core.now(), buffered: this.linksBuffered(), sent: this.core.upMeter.total };
    this.retryTimer = this.core.clock.setTimeout(this.retry, wait);
  }

  /**
   * Asks every link holding bytes to report the moment some of them leave: only that (or a read
   * finishing, or a neighbor leaving) can make room under the cap, since the rate meter behind the
   * default cap only decays while nothing is sent. False when a link holding bytes cannot report it.
   */
  private askLinks(): boolean {
    let all = true;
    for (const m of this.core.neighbors.values()) {
      const buffered = m.link.bufferedAmount;
      if (buffered === 0) continue;
      if (m.link.onceBelow) m.link.onceBelow(buffered - 1, this.wake);
      else all = false;
    }
    return all;
  }

  /** A link holding bytes let some out: the neighbors held back go first, as on a retry. */
  private readonly wake = (): void => {
    this.resumeBlocked();
  };

  /**
   * A neighbor left: the chunks we gave it no longer count as held (its `have`s are gone from
   * availability too); its queued bytes no longer count, so those it held back may fit now.
   */
  onNeighborGone(n: Neighbor): void {
    const given = this.of(n).given;
    if (given) for (let i = 0; i < given.size; i++) if (given.has(i)) this.givenTo[i]!--;
    if (this.blocked.length === 0 || this.retryTimer !== undefined || this.core.destroyed) return;
    this.retryFrom = { at: this.core.now(), buffered: this.linksBuffered(), sent: this.core.upMeter.total };
    this.retryTimer = this.core.clock.setTimeout(this.retry, 0);
  }

  /** The retry timer's callback: one function for the engine's life, not a closure per retry. */
  private readonly retry = (): void => {
    this.retryTimer = undefined;
    this.learnDrainRate();
    this.resumeBlocked();
  };

  /**
   * What left the links since the retry was scheduled, per second. With bytes still queued that is
   * the links' rate; with none we woke late (the uplink idled for an unknown part of the wait),
   * so the estimate doubles until a wake-up finds bytes still queued.
   */
  private learnDrainRate(): void {
    const from = this.retryFrom;
    const elapsed = this.core.now() - from.at;
    if (elapsed <= 0) return;
    const buffered = this.linksBuffered();
    const drained = from.buffered + (this.core.upMeter.total - from.sent) - buffered;
    if (drained <= 0) return;
    const sample = (drained * 1000) / elapsed;
    this.drainBps = buffered > 0 ? sample : 2 * Math.max(this.drainBps, sample);
  }

  private linksBuffered(): number {
    let total = 0;
    for (const m of this.core.neighbors.values()) total += m.link.bufferedAmount;
    return total;
  }

  private async readAndSend(n: Neighbor, r: IncomingRequest): Promise<void> {
    let chunk: Uint8Array | undefined;
    try {
      chunk = await this.core.store.get(r.index);
    } catch (error) {
      chunk = undefined;
      this.core.emit({ type: 'error', error: error as Error });
    }
    this.of(n).reading = false;
    this.reading -= r.length;
    if (this.core.destroyed) return;
    if (!n.removed && chunk && chunk.length >= r.offset + r.length) {
      this.remember(r.index, chunk);
      this.sendBlock(n, r, chunk);
    }
    this.drained(n);
  }

  private sendBlock(n: Neighbor, r: IncomingRequest, chunk: Uint8Array): void {
    // The whole chunk is sent as the same object, so a simulator's memoized hasher sees one buffer.
    const data = r.offset === 0 && r.length === chunk.length ? chunk : chunk.subarray(r.offset, r.offset + r.length);
    const ledger = this.core.ledger!;
    const last = r.offset + r.length >= ledger.chunkLength(r.index);
    const u = this.of(n);
    u.partlySent = last ? 0 : r.offset + r.length;
    if (last) {
      if (this.givenTo.length !== ledger.chunkCount) this.givenTo = new Uint16Array(ledger.chunkCount);
      u.given ??= new Bitfield(ledger.chunkCount);
      if (u.given.set(r.index)) {
        this.givenTo[r.index]!++;
        this.core.passOn.onChunkGiven(n, r.index);
      }
    }
    const now = this.core.now();
    u.up.add(r.length, now);
    this.core.upMeter.add(r.length, now);
    this.core.send(n, { type: 'piece', index: r.index, offset: r.offset, data });
  }

  private remember(index: number, chunk: Uint8Array): void {
    this.cache.delete(index);
    this.cache.set(index, chunk);
    if (this.cache.size > CACHE_CHUNKS) this.cache.delete(this.cache.keys().next().value!);
  }

  /** Wakes the waiting neighbors once the upload cap covers `bytes`. */
  private schedule(bytes: number): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(1, this.core.upBucket.waitMs(this.core.now(), bytes));
    this.timer = this.core.clock.setTimeout(() => {
      this.timer = undefined;
      this.resumeWaiting();
    }, wait);
  }

  /** Rate caps changed or tokens refilled: serve the neighbors that were waiting for tokens. */
  resumeWaiting(): void {
    const waiting = [...this.waiting].sort(this.serveOrder());
    this.waiting.clear();
    for (const u of waiting) this.serve(u.neighbor);
  }

  destroy(): void {
    if (this.timer !== undefined) this.core.clock.clearTimeout(this.timer);
    if (this.retryTimer !== undefined) this.core.clock.clearTimeout(this.retryTimer);
    this.timer = undefined;
    this.retryTimer = undefined;
    this.cache.clear();
  }
}
