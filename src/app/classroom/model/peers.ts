/**
 * Folds relayed stats into the projector's picture of the swarm: one PeerView per peer, peak rates
 * kept, peers that went quiet dropped (a closed tab sends nothing more).
 */
import {
  NB_INTERESTED,
  NB_RELAYED,
  NB_OPTIMISTIC,
  NB_THEY_UNCHOKE,
  NB_WE_UNCHOKE,
  type PeerStats,
} from '../../../protocol/classroom';
import { unpackBitfield } from '../../../protocol/classroom-bitfield';
import type { PeerView } from './measured';

/** A peer that sent no stats for this long is shown as gone. */
export const STALE_AFTER_MS = 5000;

/** Returns a new map with `from`'s stats applied (the input map is not changed). */
export function applyStats(
  peers: ReadonlyMap<string, PeerView>,
  from: string,
  stats: PeerStats,
  now: number,
): Map<string, PeerView> {
  const prev = peers.get(from);
  const view: PeerView = {
    id: from,
    role: stats.role,
    round: stats.r,
    mode: stats.m,
    chunks: stats.n,
    size: stats.F,
    have: unpackBitfield(stats.h, stats.n),
    inFlight: stats.f,
    up: stats.up,
    down: stats.dn,
    capUp: stats.cu,
    capDown: stats.cd,
    // Peaks carry over rounds: a capped or client-server round says nothing about a link's capacity.
    peakUp: Math.max(stats.up, prev?.peakUp ?? 0),
    peakDown: Math.max(stats.dn, prev?.peakDown ?? 0),
    elapsedMs: stats.el,
    doneMs: stats.dt,
    // The earliest estimate is the best: each message's delay only makes `now - el` later.
    startAt: prev?.round === stats.r ? Math.min(prev.startAt, now - stats.el) : now - stats.el,
    neighbors: stats.nb.map(([id, up, down, flags]) => ({
      id,
      up,
      down,
      weUnchoke: (flags & NB_WE_UNCHOKE) !== 0,
      optimistic: (flags & NB_OPTIMISTIC) !== 0,
      theyUnchoke: (flags & NB_THEY_UNCHOKE) !== 0,
      interested: (flags & NB_INTERESTED) !== 0,
      relayed: (flags & NB_RELAYED) !== 0,
    })),
    seenAt: now,
  };
  const next = new Map(peers);
  next.set(from, view);
  return next;
}

/** Drops peers not heard from within STALE_AFTER_MS, and peers the tracker says have left. */
export function pruneStale(
  peers: ReadonlyMap<string, PeerView>,
  now: number,
  members?: readonly string[],
): Map<string, PeerView> {
  const present = members ? new Set(members) : undefined;
  const next = new Map<string, PeerView>();
  for (const [id, p] of peers) {
    if (now - p.seenAt <= STALE_AFTER_MS && (!present || present.has(id))) next.set(id, p);
  }
  return next;
}
