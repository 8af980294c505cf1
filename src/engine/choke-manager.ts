/**
 * Applies the choking policy (choker.ts) to the live neighbors: periodic tit-for-tat rechokes,
 * optimistic rotation, immediate unchoke when a slot is free, and client-server mode (the origin
 * serves every interested neighbor, everyone else uploads to nobody).
 */
import { CHOKE, UNCHOKE } from '../protocol/wire-messages';
import { decideUnchokes, type ChokeCandidate } from './choker';
import type { EngineCore } from './core';
import type { Neighbor } from './neighbor';

export class ChokeManager {
  optimistic: string | undefined;
  private rechokes = 0;

  constructor(private readonly core: EngineCore) {}

  /** The periodic rechoke (every rechokeIntervalMs); rotates the optimistic slot every optimisticIntervalMs. */
  periodic(): void {
    const { rechokeIntervalMs, optimisticIntervalMs } = this.core.config;
    const every = Math.max(1, Math.round(optimisticIntervalMs / rechokeIntervalMs));
    this.rechokes++;
    this.rechoke(this.rechokes % every === 0);
  }

  rechoke(rotateOptimistic: boolean): void {
    const core = this.core;
    const peers = [...core.neighbors.values()].filter((n) => n.handshaked && !n.removed);
    if (core.config.mode === 'cs') {
      const serveAll = core.config.isOrigin && core.config.csUnchokeAll;
      this.optimistic = undefined;
      this.apply(peers, new Set(serveAll ? peers.filter((n) => n.peerInterested).map((n) => n.peerId) : []));
      return;
    }
    const now = core.now();
    const seeding = core.complete;
    const candidates: ChokeCandidate[] = peers.map((n) => ({
      id: n.peerId,
      interested: this.wantsFromUs(n),
      rate: seeding ? n.up.get(now) : n.down.get(now),
      snubbed: n.snubbed,
      isNew: now - n.connectedAt < core.config.newPeerWindowMs,
    }));
    const decision = decideUnchokes(candidates, {
      slots: core.config.uploadSlots,
      currentOptimistic: this.optimistic,
      rotateOptimistic,
      newPeerWeight: core.config.newPeerOptimisticWeight,
      random: core.random,
    });
    this.optimistic = decision.optimistic;
    this.apply(peers, decision.unchoked);
  }

  private apply(peers: Neighbor[], unchoked: Set<string>): void {
    for (const n of peers) {
      n.optimistic = n.peerId === this.optimistic;
      this.setChoked(n, !unchoked.has(n.peerId));
    }
  }

  setChoked(n: Neighbor, choked: boolean): void {
    if (n.amChoking === choked || n.removed) return;
    n.amChoking = choked;
    this.core.send(n, choked ? CHOKE : UNCHOKE);
    if (choked) this.core.upload.dropRequests(n);
  }

  onInterested(n: Neighbor): void {
    if (n.peerInterested) return;
    n.peerInterested = true;
    if (!n.amChoking) return;
    const { mode, isOrigin, csUnchokeAll, uploadSlots } = this.core.config;
    if (mode === 'cs') {
      if (isOrigin && csUnchokeAll) this.setChoked(n, false);
      return;
    }
    // A free slot is filled right away instead of waiting up to rechokeIntervalMs.
    let regular = 0;
    for (const m of this.core.neighbors.values()) if (!m.amChoking && !m.optimistic && m.peerInterested) regular++;
    if (regular < uploadSlots) this.setChoked(n, false);
    else if (this.optimistic === undefined) {
      this.optimistic = n.peerId;
      n.optimistic = true;
      this.setChoked(n, false);
    }
  }

  /**
   * Called every tick: when no unchoked neighbor has anything queued at us (our uplink is about to
   * idle) but a choked neighbor wants something, unchoke one more until the next rechoke. Without
   * this, neighbors that hold a slot but want nothing more from us would leave the uplink idle for
   * up to rechokeIntervalMs (costly while a swarm starts: libtorrent's rate-based choker likewise
   * opens slots while upload capacity is unused).
   */
  fillIdle(): void {
    const core = this.core;
    if (!core.config.fillIdleSlots || core.config.mode === 'cs' || !core.ledger) return;
    let unchoked = 0;
    const waiting: Neighbor[] = [];
    for (const n of core.neighbors.values()) {
      if (!n.handshaked || n.removed) continue;
      if (!n.amChoking) {
        if (n.requestsIn.length > 0 || n.serving) return; // still busy
        if (core.config.fillIdleCountsBuffered && n.link.bufferedAmount > 0) return; // uplink still sending to it
        unchoked++;
      } else if (n.peerInterested && !n.snubbed) waiting.push(n);
    }
    if (waiting.length === 0 || unchoked >= 2 * core.config.uploadSlots + 1) return;
    this.setChoked(this.pickIdleFill(waiting), false);
  }

  /**
   * Who gets an idle slot: with fillIdlePrefersNewcomers, a neighbor holding the fewest chunks
   * (random among equals): a chunk given to a peer with nothing turns on an uplink that was idle,
   * the same chunk given to a busy trader adds no capacity. Otherwise any one at random.
   */
  private pickIdleFill(waiting: Neighbor[]): Neighbor {
    const random = this.core.random;
    if (!this.core.config.fillIdlePrefersNewcomers) return waiting[Math.floor(random() * waiting.length)]!;
    return this.fewestChunks(waiting);
  }

  /** The neighbor holding the fewest chunks, random among equals. */
  private fewestChunks(waiting: Neighbor[]): Neighbor {
    const random = this.core.random;
    let best: Neighbor[] = [];
    let fewest = Infinity;
    for (const n of waiting) {
      const count = n.have?.count ?? 0;
      if (count < fewest) {
        fewest = count;
        best = [n];
      } else if (count === fewest) best.push(n);
    }
    if (fewest > this.core.config.newcomerMaxChunks) best = waiting;
    return best[Math.floor(random() * best.length)]!;
  }

  onNotInterested(n: Neighbor): void {
    if (!n.peerInterested) return;
    n.peerInterested = false;
    if (!n.amChoking && !this.wantsFromUs(n)) this.rechoke(false); // its slot goes to someone who wants it
  }

  /**
   * Interested, or (super-seeding) lacking a chunk we have just shown it: its `not interested`
   * crossed our `have` and it will ask again at once. Choking it then would make it drop the
   * requests it sends before our choke arrives, while our unchoke (on its `interested`) serves
   * them: every such chunk was sent twice.
   */
  private wantsFromUs(n: Neighbor): boolean {
    return n.peerInterested || this.core.superSeed.showsMissing(n);
  }

  onNeighborGone(n: Neighbor): void {
    if (this.optimistic === n.peerId) this.optimistic = undefined;
    if (!n.amChoking && !this.core.destroyed) {
      n.amChoking = true;
      this.rechoke(false);
    }
  }
}
