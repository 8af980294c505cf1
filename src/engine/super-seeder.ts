/**
 * Super-seeding (after BEP 16), for the original sharer: instead of its full bitfield, each
 * neighbor is shown only `superSeedReveals` chunks at a time, the ones shown least often so far.
 * A shown chunk keeps holding the neighbor's slot until the neighbor has it AND another neighbor
 * has it too (it spread), or `superSeedPatienceMs` passed since the neighbor got it, or no other
 * neighbor lacks it (nobody to spread it to, e.g. a single downloader). So the
 * sharer's limited upload goes out as distinct chunks that the downloaders pass on, instead of the
 * same chunk again and again while others wait.
 */
import { Bitfield } from './bitfield';
import type { EngineCore } from './core';
import type { Neighbor } from './neighbor';

export class SuperSeeder {
  private shownCount: Uint32Array = new Uint32Array(0);

  constructor(private readonly core: EngineCore) {}

  /** Super-seeding applies: enabled, the origin, complete, BitTorrent mode. */
  get active(): boolean {
    const { core } = this;
    return core.config.superSeeding && core.config.isOrigin && core.config.mode === 'p2p' && core.complete;
  }

  /** Instead of the bitfield: show the first chunks to a new neighbor. */
  start(n: Neighbor): void {
    n.revealed ??= new Bitfield(this.core.ledger!.chunkCount);
    this.top(n);
  }

  /** Someone announced chunk `index`: re-check every neighbor it was shown to. */
  onNeighborHave(from: Neighbor, index: number): void {
    if (!this.active) return;
    for (const n of this.core.neighbors.values()) if (n.revealedAt.has(index)) this.top(n);
    // Its `not interested` was not acted on while it lacked a shown chunk (ChokeManager.wantsFromUs);
    // now it has them all and nothing new was shown: its slot goes to someone who wants it.
    if (!from.removed && !from.amChoking && !from.peerInterested && !this.showsMissing(from)) this.core.choke.rechoke(false);
  }

  /** We have shown `n` a chunk it does not have yet (so it is, or is about to be, interested in us). */
  showsMissing(n: Neighbor): boolean {
    if (!this.active || !n.have) return false;
    for (const index of n.revealedAt.keys()) if (!n.have.has(index)) return true;
    return false;
  }

  /** Every tick: slots whose patience ran out are freed. */
  tick(): void {
    if (!this.active) return;
    for (const n of this.core.neighbors.values()) if (n.revealed) this.top(n);
  }

  /** The bits this neighbor may see (for resync). */
  shownTo(n: Neighbor): Uint8Array | undefined {
    return n.revealed && n.revealed.count > 0 ? n.revealed.toBytes() : undefined;
  }

  /** Shows chunks until `superSeedReveals` shown ones hold the neighbor's slots. */
  private top(n: Neighbor): void {
    const ledger = this.core.ledger!;
    if (this.shownCount.length !== ledger.chunkCount) this.shownCount = new Uint32Array(ledger.chunkCount);
    const now = this.core.now();
    const patience = this.core.config.superSeedPatienceMs;
    const availability = this.core.availability;
    let pending = 0;
    for (const [index, shownAt] of n.revealedAt) {
      const downloaded = n.have?.has(index) ?? false;
      if (!downloaded || (availability[index]! < 2 && now - shownAt < patience && this.someoneElseLacks(n, index))) pending++;
      else n.revealedAt.delete(index);
    }
    while (pending < this.core.config.superSeedReveals) {
      const index = this.leastShown(n);
      if (index < 0) return;
      n.revealed!.set(index);
      n.revealedAt.set(index, now);
      this.shownCount[index]!++;
      pending++;
      this.core.send(n, { type: 'have', index });
    }
  }

  /** Another neighbor could still get `index` from `n` (else waiting for it to spread is pointless, e.g. one downloader alone). */
  private someoneElseLacks(n: Neighbor, index: number): boolean {
    for (const m of this.core.neighbors.values()) {
      if (m !== n && m.handshaked && !m.removed && !(m.have?.has(index) ?? false)) return true;
    }
    return false;
  }

  /** The least-shown chunk the neighbor lacks and was not shown, random among equals; -1 if none. */
  private leastShown(n: Neighbor): number {
    const count = this.shownCount;
    let best = -1;
    let bestCount = Infinity;
    let ties = 0;
    for (let i = 0; i < count.length; i++) {
      if (n.revealed!.has(i) || n.have?.has(i)) continue;
      const c = count[i]!;
      if (c < bestCount) {
        bestCount = c;
        best = i;
        ties = 1;
      } else if (c === bestCount && this.core.random() * ++ties < 1) best = i;
    }
    return best;
  }
}
