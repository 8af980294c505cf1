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
      interested: n.peerInterested,
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

  onNotInterested(n: Neighbor): void {
    if (!n.peerInterested) return;
    n.peerInterested = false;
    if (!n.amChoking) this.rechoke(false); // its slot goes to someone who wants it
  }

  onNeighborGone(n: Neighbor): void {
    if (this.optimistic === n.peerId) this.optimistic = undefined;
    if (!n.amChoking && !this.core.destroyed) {
      n.amChoking = true;
      this.rechoke(false);
    }
  }
}
