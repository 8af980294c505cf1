/**
 * Turns the peers' live stats into the lecture's quantities: N, F, u_s, u_i, d_min.
 * A cap set by the teacher is the link's capacity. Without an upload cap the best upload rate seen
 * so far (the peak of the ~1 s rates the peer reported, over every round) stands in for it. Without
 * a download cap d_i counts as unlimited: a download rate measured in a swarm is limited by the
 * senders, not by the link, so it would make F/d_min a copy of the measurement itself.
 */
import type { ClassroomMode } from '../../../protocol/classroom';
import { boundCS, boundP2P } from './bounds';

/** One peer as the projector knows it: its latest stats plus what was seen this round. */
export interface PeerView {
  id: string;
  role: 's' | 'p';
  round: number;
  mode: ClassroomMode;
  chunks: number;
  size: number;
  have: boolean[];
  inFlight: number[];
  up: number;
  down: number;
  capUp: number;
  capDown: number;
  /** Highest upload / download rate reported so far (any round). */
  peakUp: number;
  peakDown: number;
  elapsedMs: number;
  doneMs?: number;
  neighbors: Array<{
    id: string;
    up: number;
    down: number;
    weUnchoke: boolean;
    optimistic: boolean;
    theyUnchoke: boolean;
    interested: boolean;
    /** Relayed through TURN (drawn dashed). */
    relayed: boolean;
  }>;
  /** Local time (ms) the latest stats arrived. */
  seenAt: number;
}

export interface Measured {
  round: number;
  mode: ClassroomMode;
  /** Downloading peers in this round (the sharer is not counted). */
  N: number;
  /** File size in bytes (0 until a peer reported). */
  F: number;
  us: number;
  /** u_i of each downloader, by peer id. */
  ui: Record<string, number>;
  uSum: number;
  /** Slowest download cap among the downloaders; Infinity when none is capped. */
  dmin: number;
  /** Slowest peak download rate seen among the downloaders (for display; 0 when none yet). */
  dminSeen: number;
  /** How many downloaders are complete. */
  done: number;
  /** Distribution time so far (s): the longest elapsed time among the downloaders; final once all are done. */
  elapsed: number;
  /** Measured distribution time (s) once every downloader completed, else null. */
  D: number | null;
  boundCS: number | null;
  boundP2P: number | null;
}

const capacity = (cap: number, peak: number) => (cap > 0 ? cap : peak);

/** The peers of the newest round (the sharer included), the others are stale leftovers of an old round. */
export function currentRound(peers: PeerView[]): number {
  return peers.reduce((r, p) => Math.max(r, p.round), 0);
}

export function measure(peers: PeerView[]): Measured {
  const round = currentRound(peers);
  const inRound = peers.filter((p) => p.round === round);
  const sharer = inRound.find((p) => p.role === 's');
  const downloaders = inRound.filter((p) => p.role === 'p');
  const F = inRound[0]?.size ?? 0;
  const us = sharer ? capacity(sharer.capUp, sharer.peakUp) : 0;
  const ui: Record<string, number> = {};
  let uSum = 0;
  let dmin = Infinity;
  let dminSeen = Infinity;
  for (const p of downloaders) {
    ui[p.id] = capacity(p.capUp, p.peakUp);
    uSum += ui[p.id]!;
    if (p.capDown > 0) dmin = Math.min(dmin, p.capDown);
    if (p.peakDown > 0) dminSeen = Math.min(dminSeen, p.peakDown);
  }
  const N = downloaders.length;
  const done = downloaders.filter((p) => p.doneMs !== undefined).length;
  const elapsed = downloaders.reduce((m, p) => Math.max(m, p.doneMs ?? p.elapsedMs), 0) / 1000;
  const ready = N > 0 && F > 0 && us > 0;
  const inputs = { N, F, us, uSum, dmin };
  return {
    round,
    mode: sharer?.mode ?? downloaders[0]?.mode ?? 'p2p',
    N,
    F,
    us,
    ui,
    uSum,
    dmin,
    dminSeen: Number.isFinite(dminSeen) ? dminSeen : 0,
    done,
    elapsed,
    D: N > 0 && done === N ? elapsed : null,
    boundCS: ready ? boundCS(inputs) : null,
    boundP2P: ready ? boundP2P(inputs) : null,
  };
}

/** Per-chunk availability: how many peers (sharer included) hold each chunk. */
export function availability(peers: PeerView[]): number[] {
  const round = currentRound(peers);
  const n = peers.find((p) => p.round === round)?.chunks ?? 0;
  const counts = new Array<number>(n).fill(0);
  for (const p of peers) {
    if (p.round !== round || p.chunks !== n) continue;
    p.have.forEach((h, i) => h && counts[i]!++);
  }
  return counts;
}
