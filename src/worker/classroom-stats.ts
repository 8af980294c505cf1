/**
 * Builds the compact classroom stats message (src/protocol/classroom-layout.ts) from an engine snapshot.
 * Pure: the worker calls it about once a second for each share in classroom mode.
 */
import type { EngineSnapshot } from '../engine/index';
import {
  CLASSROOM_STATS_VERSION,
  MAX_IN_FLIGHT,
  MAX_NEIGHBORS,
  NB_INTERESTED,
  NB_OPTIMISTIC,
  NB_THEY_UNCHOKE,
  NB_WE_UNCHOKE,
  type ClassroomMode,
  type NeighborStats,
  type PeerStats,
} from '../protocol/classroom-layout';
import { toBase64 } from '../protocol/classroom-bitfield';

/** What the snapshot does not know: the round this peer is in and the caps it applies. */
export interface StatsContext {
  role: 's' | 'p';
  round: number;
  mode: ClassroomMode;
  /** Bytes/s, 0 = no cap. */
  capUp: number;
  capDown: number;
  elapsedMs: number;
  doneMs?: number;
  /** Overrides the snapshot's chunks in flight (requested, not yet verified). */
  inFlight?: number[];
}

/** A neighbor's tracker peer id: relayed links are keyed `swarm/peer` by the page. */
const trackerId = (id: string) => id.slice(id.lastIndexOf('/') + 1);
const rate = (x: number) => (Number.isFinite(x) && x > 0 ? Math.round(x) : 0);

/** Null until the metadata (chunk count, size) is known. */
export function statsFromSnapshot(snap: EngineSnapshot, ctx: StatsContext): PeerStats | null {
  if (!snap.hasMetadata || snap.chunkCount < 1) return null;
  const neighbors = [...snap.neighbors]
    .filter((n) => n.handshaked)
    .sort((a, b) => b.upRate + b.downRate - (a.upRate + a.downRate))
    .slice(0, MAX_NEIGHBORS);
  const nb: NeighborStats[] = neighbors
    .map((n): NeighborStats => [
      trackerId(n.peerId),
      rate(n.upRate),
      rate(n.downRate),
      (n.amChoking ? 0 : NB_WE_UNCHOKE) |
        (n.optimistic ? NB_OPTIMISTIC : 0) |
        (n.peerChoking ? 0 : NB_THEY_UNCHOKE) |
        (n.peerInterested ? NB_INTERESTED : 0),
    ])
    .filter(([id]) => /^[A-Za-z0-9_-]{1,64}$/.test(id));
  const stats: PeerStats = {
    v: CLASSROOM_STATS_VERSION,
    role: ctx.role,
    r: ctx.round,
    m: ctx.mode,
    n: snap.chunkCount,
    F: snap.totalBytes,
    h: toBase64(snap.have.subarray(0, Math.ceil(snap.chunkCount / 8))),
    f: (ctx.inFlight ?? snap.inFlight ?? []).filter((i) => i >= 0 && i < snap.chunkCount).slice(0, MAX_IN_FLIGHT),
    up: rate(snap.upRate),
    dn: rate(snap.downRate),
    cu: rate(ctx.capUp),
    cd: rate(ctx.capDown),
    el: Math.max(0, Math.round(ctx.elapsedMs)),
    nb,
  };
  if (ctx.doneMs !== undefined) stats.dt = Math.max(0, Math.round(ctx.doneMs));
  return stats;
}
