/**
 * Super-seeding (after BEP 16), for the original sharer: instead of its full bitfield, each
 * neighbor is shown only `superSeedReveals` chunks at a time, the ones shown least often so far.
 * A shown chunk keeps holding the neighbor's slot until the neighbor has it AND another neighbor
 * has it too (it spread), or `superSeedPatienceMs` passed since the neighbor got it. So the
 * sharer's limited upload goes out as distinct chunks that the downloaders pass on, instead of the
 * same chunk again and again while others wait.
 *
 * Holding back only pays while the sharer's uplink is the scarce resource, so it never makes the
 * sharer wait:
 * - a shown chunk that no other neighbor lacks holds no slot (nobody to spread it to): a lone
 *   downloader is shown everything, as by a plain seed (a linked neighbor whose handshake has not
 *   arrived yet counts as lacking everything, so the first of a crowd is not shown everything);
 * - when the uplink is about to run dry (no request queued, nobody interested
 *   waiting in a choke, the transports holding at most a chunk or `superSeedIdleLeadMs` of our
 *   upload rate), each unchoked neighbor that has asked for what it was shown gets one more chunk
 *   at once, and its allowance of slot-holding chunks doubles (a reveal reaches it only behind the
 *   pieces already queued to it, so one more at a time cannot fill the pipe). An uplink 10 x a
 *   downloader's then does not wait for shown chunks to spread at the downloaders' pace.
 */
import { Bitfield } from './bitfield';
import type { EngineCore, NeighborHooks } from './core';
import { type Neighbor } from './neighbor';

/** What we have shown one neighbor. */
interface Shown {
  /** The chunks we have shown it (it sees nothing else of ours); made at its first reveal. */
  revealed: Bitfield | undefined;
  /** Shown chunks still holding one of its reveal slots -> when shown. */
  readonly revealedAt: Map<number, number>;
  /** Shown chunks it has asked us for. */
  readonly revealedRequested: Set<number>;
  /** Shown chunks that may hold its slots at once (superSeedReveals, more after our uplink idled). */
  revealAllowance: number;
}

/** Ranks a chunk on its way to another neighbor after any chunk shown fewer than this many times. */
const ON_ITS_WAY = 2 ** 30;

/** This module's slot on each neighbor: the key is not exported, so no other module reaches the state. */
const SHOWN = Symbol('Shown');
type Slotted = Neighbor & { [SHOWN]: Shown };

export class SuperSeeder implements NeighborHooks {
  private shownCount: Uint32Array = new Uint32Array(0);
  /** When each chunk was last shown to anyone (leastShown: a chunk on its way to a neighbor is not shown twice). */
  private lastShownAt: Float64Array = new Float64Array(0);

  constructor(private readonly core: EngineCore) {}

  onNeighborAdded(n: Neighbor): void {
    (n as Slotted)[SHOWN] = {
      revealed: undefined,
      revealedAt: new Map(),
      revealedRequested: new Set(),
      revealAllowance: 0,
    };
  }

  private of(n: Neighbor): Shown {
    return (n as Slotted)[SHOWN];
  }

  /** Super-seeding applies: enabled, the origin, complete, BitTorrent mode. */
  get active(): boolean {
    const { core } = this;
    return core.config.superSeeding && core.config.isOrigin && core.config.mode === 'p2p' && core.complete;
  }

  /** Instead of the bitfield: show the first chunks to a new neighbor. */
  start(n: Neighbor): void {
    this.of(n).revealed ??= new Bitfield(this.core.ledger!.chunkCount);
    this.top(n);
  }

  /** Someone announced chunk `index`: re-check every neighbor it was shown to. */
  onNeighborHave(from: Neighbor, index: number): void {
    if (!this.active) return;
    for (const n of this.core.neighbors.values()) if (this.of(n).revealedAt.has(index)) this.top(n);
    // Its `not interested` was not acted on while it lacked a shown chunk (ChokeManager.wantsFromUs);
    // now it has them all and nothing new was shown: its slot goes to someone who wants it.
    if (
      !from.removed &&
      !this.core.choke.isChoking(from) &&
      !this.core.choke.isInterested(from) &&
      !this.showsMissing(from)
    )
      this.core.choke.rechoke(false, true);
    this.onMaybeIdle();
  }

  /** A neighbor asked for (a block of) chunk `index`. */
  onRequest(n: Neighbor, index: number): void {
    const shown = this.of(n);
    if (shown.revealedAt.has(index)) shown.revealedRequested.add(index);
  }

  /** We have shown `n` a chunk it does not have yet (so it is, or is about to be, interested in us). */
  showsMissing(n: Neighbor): boolean {
    if (!this.active || !n.have) return false;
    for (const index of this.of(n).revealedAt.keys()) if (!n.have.has(index)) return true;
    return false;
  }

  /** Every tick: slots whose patience ran out are freed. */
  tick(): void {
    if (!this.active) return;
    for (const n of this.core.neighbors.values()) if (this.of(n).revealed) this.top(n);
    this.onMaybeIdle();
  }

  /** Super-seeding just ended (switched to client-server mode): every neighbor may see every chunk now. */
  stop(): void {
    const ledger = this.core.ledger;
    if (!ledger) return;
    const bits = ledger.have.toBytes();
    for (const n of this.core.neighbors.values())
      if (n.handshaked && !n.removed) this.core.send(n, { type: 'bitfield', bits });
  }

  /** The bits this neighbor may see (for resync). */
  shownTo(n: Neighbor): Uint8Array | undefined {
    const revealed = this.of(n).revealed;
    return revealed && revealed.count > 0 ? revealed.toBytes() : undefined;
  }

  /**
   * Called when the uplink may have run out of work (a request queue emptied, a `have`, a tick):
   * if it has, each unchoked neighbor with (almost) nothing left to ask of us is shown one more
   * chunk and may hold twice as many shown chunks from now on.
   */
  onMaybeIdle(): void {
    if (!this.active || !this.uplinkIdle()) return;
    let shown = false;
    for (const n of this.core.neighbors.values()) {
      if (!this.core.choke.isChoking(n) && this.canTakeMore(n)) {
        const state = this.of(n);
        state.revealAllowance = Math.min(
          this.core.ledger!.chunkCount,
          2 * Math.max(state.revealAllowance, this.core.config.superSeedReveals),
        );
        shown = this.showOne(n) || shown;
      }
    }
    if (shown) return;
    // Nobody unchoked can use a chunk: show one to the choked neighbor holding the fewest chunks
    // (it turns interested and takes a free slot).
    let best: Neighbor | undefined;
    for (const n of this.core.neighbors.values()) {
      if (this.core.choke.isChoking(n) && this.canTakeMore(n) && (!best || n.have!.count < best.have!.count)) best = n;
    }
    if (best) this.showOne(best);
  }

  /** No request queued at us, and the transports hold at most a chunk or superSeedIdleLeadMs of our upload rate. */
  private uplinkIdle(): boolean {
    let buffered = 0;
    for (const n of this.core.neighbors.values()) {
      if (!n.handshaked || n.removed) continue;
      // A defector (reciprocity.ts) held back by its share or choked is no demand on our uplink.
      if (!this.core.choke.isChoking(n) && this.core.upload.isBusyWith(n) && !this.core.reciprocity.isHeld(n))
        return false;
      if (this.core.choke.isChoking(n) && this.core.choke.isInterested(n) && !this.core.reciprocity.defected(n))
        return false; // demand beyond our slots: our uplink is the bottleneck
      buffered += n.link.bufferedAmount;
    }
    const lead = (this.core.upMeter.get(this.core.now()) * this.core.config.superSeedIdleLeadMs) / 1000;
    return buffered <= Math.max(this.core.ledger!.geometry.chunkSize * 1.05, lead); // 5 %: message headers
  }

  /** A neighbor that lacks some chunk and has at most one shown chunk it has not asked for yet. */
  private canTakeMore(n: Neighbor): boolean {
    const shown = this.of(n);
    if (!n.handshaked || n.removed || !n.have || !shown.revealed || n.have.count >= this.core.ledger!.chunkCount)
      return false;
    let unasked = 0;
    for (const index of shown.revealedAt.keys())
      if (!n.have.has(index) && !shown.revealedRequested.has(index) && ++unasked > 1) return false;
    return true;
  }

  /** Frees the slots of shown chunks that spread (or waited long enough), then shows chunks until the neighbor's allowance is held. */
  private top(n: Neighbor): void {
    const ledger = this.core.ledger!;
    if (this.shownCount.length !== ledger.chunkCount) {
      this.shownCount = new Uint32Array(ledger.chunkCount);
      this.lastShownAt = new Float64Array(ledger.chunkCount);
    }
    const now = this.core.now();
    const patience = this.core.config.superSeedPatienceMs;
    const availability = this.core.availability;
    const shown = this.of(n);
    let pending = 0;
    for (const [index, shownAt] of shown.revealedAt) {
      const downloaded = n.have?.has(index) ?? false;
      if (!this.someoneElseLacks(n, index)) {
        if (downloaded) this.forget(n, index);
      } else if (!downloaded || (availability[index]! < 2 && now - shownAt < patience)) pending++;
      else this.forget(n, index);
    }
    const allowance = Math.max(shown.revealAllowance, this.core.config.superSeedReveals);
    while (pending < allowance) {
      const index = this.show(n);
      if (index < 0) return;
      if (this.someoneElseLacks(n, index)) pending++;
    }
  }

  /** Shows `n` its least-shown missing chunk; false if it lacks nothing we have not shown it. */
  private showOne(n: Neighbor): boolean {
    return this.show(n) >= 0;
  }

  private show(n: Neighbor): number {
    const index = this.leastShown(n);
    if (index < 0) return -1;
    const shown = this.of(n);
    shown.revealed!.set(index);
    shown.revealedAt.set(index, this.core.now());
    this.shownCount[index]!++;
    this.lastShownAt[index] = this.core.now();
    this.core.send(n, this.core.haveMessage(index));
    return index;
  }

  private forget(n: Neighbor, index: number): void {
    const shown = this.of(n);
    shown.revealedAt.delete(index);
    shown.revealedRequested.delete(index);
  }

  /** Another neighbor could still get `index` from `n` (else waiting for it to spread is pointless, e.g. one downloader alone). */
  private someoneElseLacks(n: Neighbor, index: number): boolean {
    for (const m of this.core.neighbors.values()) {
      if (m !== n && !m.removed && !(m.have?.has(index) ?? false)) return true;
    }
    return false;
  }

  /**
   * The least-shown chunk the neighbor lacks and was not shown, random among equals; -1 if none.
   * Once every chunk was shown, a chunk shown within superSeedPatienceMs that nobody holds yet
   * comes last: it is on its way to the neighbor it was shown to, and shown to a second one too,
   * both ask us for it and our capped uplink sends it twice before the chunks not sent yet. A chunk
   * someone holds is shown instead (the holder can pass it on). After the patience the chunk counts
   * as usual again: the neighbor it was shown to may never ask for it.
   */
  private leastShown(n: Neighbor): number {
    const count = this.shownCount;
    const revealed = this.of(n).revealed!;
    const availability = this.core.availability;
    const recent = this.core.now() - this.core.config.superSeedPatienceMs;
    let best = -1;
    let bestCount = Infinity;
    let ties = 0;
    for (let i = 0; i < count.length; i++) {
      if (revealed.has(i) || n.have?.has(i)) continue;
      const onItsWay = count[i]! > 0 && availability[i] === 0 && this.lastShownAt[i]! > recent;
      const c = count[i]! + (onItsWay ? ON_ITS_WAY : 0);
      if (c < bestCount) {
        bestCount = c;
        best = i;
        ties = 1;
      } else if (c === bestCount && this.core.random() * ++ties < 1) best = i;
    }
    return best;
  }
}
