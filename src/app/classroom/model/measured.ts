/**
 * Turns the peers' live stats into the lecture's quantities: N, F, u_s, u_i, d_min.
 * A cap set by the teacher is the link's capacity, and only a cap is: a rate sampled once a second
 * is not the capacity the formulas need (a peak underestimates it, and a bound computed from it can
 * land above the measured time). So a bound is given only when the upload rates it needs are capped
 * (D_cs: u_s; D_P2P: u_s and every u_i); otherwise `boundsNeed` says 'caps'. Without a download cap
 * d_i counts as unlimited, which keeps a bound a lower bound (just a looser one). The rule the wall
 * keeps: a measured D is never shown below a displayed bound that applies to its round (its mode's;
 * D_cs beside a P2P round is the comparison, not a bound on it); if one would be (a cap changed
 * mid-round), the bounds are withheld ('inconsistent').
 * D is timed on one clock, the projector's, from the round's start to the last downloader's
 * completion: a peer that starts late (its student clicked "Download again" later) adds to D, as it
 * does in the lecture, instead of finishing "sooner" on its own clock (see roundStart).
 */
import type { ClassroomMode } from '../../../protocol/classroom';
import { MIN_CHUNK_SIZE } from '../../../protocol/metadata';
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
  /** ms into the round and to completion, on the peer's own clock (from its own start). */
  elapsedMs: number;
  doneMs?: number;
  /**
   * When this peer's round started, on the projector's clock: the earliest `seenAt - elapsedMs` of
   * its stats in this round. Network delay only makes the estimate later, never earlier.
   */
  startAt: number;
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
  /** The share's chunk count and chunk size (bytes; 0 until a peer reported). */
  chunks: number;
  chunkSize: number;
  us: number;
  /** u_i of each downloader, by peer id (0 where unknown: see uUnknown). */
  ui: Record<string, number>;
  /** Downloaders whose u_i is unknown (no cap, not a free rider): while any is, Σu_i and D_P2P are not shown. */
  uUnknown: string[];
  uSum: number;
  /** Slowest download cap among the downloaders; Infinity when none is capped. */
  dmin: number;
  /** Slowest peak download rate seen among the downloaders (for display; 0 when none yet). */
  dminSeen: number;
  /** How many downloaders are complete. */
  done: number;
  /** Distribution time so far (s), from the round's start on the projector's clock (see roundStart); final once all are done. */
  elapsed: number;
  /** Measured distribution time (s) once every downloader completed, else null. */
  D: number | null;
  boundCS: number | null;
  boundP2P: number | null;
  /** Why a bound is missing: 'caps' = an upload rate it needs is not capped; 'inconsistent' = it would exceed D. */
  boundsNeed: 'caps' | 'inconsistent' | null;
  /** Highest upload rate seen (bytes/s) where no cap is set, for display only: sharer, then sum over downloaders. */
  usSeen: number;
  uSumSeen: number;
  /** Downloaders the teacher made free riders (u_i = 0, known), and both groups' median completion (s) once all are done. */
  freeRiders: string[];
  contributorsMedian: number | null;
  freeRidersMedian: number | null;
  /** Each downloader that completed, earliest first: when (s from the round's start) and whether a free rider. */
  completions: Completion[];
}

export interface Completion {
  id: string;
  seconds: number;
  freeRider: boolean;
}

/** The peers of the newest round (the sharer included), the others are stale leftovers of an old round. */
export function currentRound(peers: PeerView[]): number {
  return peers.reduce((r, p) => Math.max(r, p.round), 0);
}

const medianOf = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * The round's start on the projector's clock: the earlier of the moment the projector learned of
 * the round (the signed control that started it, `controlAt`) and the sharer's own start as its
 * stats place it (a projector opened mid-round; round 0, which no control of the projector's
 * started). Caps apply from the control on (the engine's token bucket starts empty then), so no
 * byte of the round moves before this moment. A student's stats never move it: a forged `el` could
 * otherwise stretch everyone's D. Only with neither known does the earliest downloader count.
 */
export function roundStart(inRound: PeerView[], controlAt?: number): number {
  const sharer = inRound.find((p) => p.role === 's');
  const start = Math.min(controlAt ?? Infinity, sharer?.startAt ?? Infinity);
  return Number.isFinite(start) ? start : inRound.reduce((t, p) => Math.min(t, p.startAt), Infinity);
}

/**
 * `freeRiders`: the peers the teacher's control makes free riders (they upload nothing: u_i = 0).
 * `roundStarts`: when the projector received each round's control (its clock, ms).
 */
export function measure(
  peers: PeerView[],
  freeRiders: ReadonlySet<string> = new Set(),
  roundStarts: ReadonlyMap<number, number> = new Map(),
): Measured {
  const round = currentRound(peers);
  const inRound = peers.filter((p) => p.round === round);
  const sharer = inRound.find((p) => p.role === 's');
  const downloaders = inRound.filter((p) => p.role === 'p');
  const F = inRound[0]?.size ?? 0;
  const us = sharer?.capUp ?? 0;
  const ui: Record<string, number> = {};
  let uSum = 0;
  let uSumSeen = 0;
  const uUnknown: string[] = [];
  let dmin = Infinity;
  let dminSeen = Infinity;
  for (const p of downloaders) {
    const free = freeRiders.has(p.id);
    ui[p.id] = free ? 0 : p.capUp;
    uSum += ui[p.id]!;
    uSumSeen += p.peakUp;
    if (!free && !(p.capUp > 0)) uUnknown.push(p.id);
    if (p.capDown > 0) dmin = Math.min(dmin, p.capDown);
    if (p.peakDown > 0) dminSeen = Math.min(dminSeen, p.peakDown);
  }
  const N = downloaders.length;
  const done = downloaders.filter((p) => p.doneMs !== undefined).length;
  const start = roundStart(inRound, roundStarts.get(round));
  // Seconds from the round's start to this peer's completion (or its latest report), one clock for all.
  const at = (p: PeerView, ms: number) => Math.max(0, p.startAt + ms - start) / 1000;
  const elapsed = downloaders.reduce((m, p) => Math.max(m, at(p, p.doneMs ?? p.elapsedMs)), 0);
  const mode = sharer?.mode ?? downloaders[0]?.mode ?? 'p2p';
  const known = N > 0 && F > 0 && sharer !== undefined;
  const inputs = { N, F, us, uSum, dmin };
  const D = N > 0 && done === N ? elapsed : null;
  let bCS = known && us > 0 ? boundCS(inputs) : null;
  let bP2P = known && us > 0 && uUnknown.length === 0 ? boundP2P(inputs) : null;
  let boundsNeed: Measured['boundsNeed'] = known && (bCS === null || bP2P === null) ? 'caps' : null;
  // The bound of the mode that ran (and in client-server mode also D_P2P <= D_cs) is a lower bound
  // on D; D_cs beside a P2P round is the comparison the lecture draws, not a bound on it.
  const own = mode === 'cs' ? bCS : bP2P;
  if (D !== null && ((own !== null && D < own) || (bP2P !== null && D < bP2P))) {
    bCS = bP2P = null;
    boundsNeed = 'inconsistent';
  }
  return {
    round,
    mode,
    N,
    F,
    chunks: inRound[0]?.chunks ?? 0,
    chunkSize: chunkSizeOf(F, inRound[0]?.chunks ?? 0),
    us,
    ui,
    uUnknown,
    uSum,
    dmin,
    dminSeen: Number.isFinite(dminSeen) ? dminSeen : 0,
    done,
    elapsed,
    D,
    boundCS: bCS,
    boundP2P: bP2P,
    boundsNeed,
    usSeen: sharer?.peakUp ?? 0,
    uSumSeen,
    freeRiders: downloaders.filter((p) => freeRiders.has(p.id)).map((p) => p.id),
    ...groupMedians(D === null ? [] : downloaders, freeRiders, at),
    completions: downloaders
      .filter((p) => p.doneMs !== undefined)
      .map((p) => ({ id: p.id, seconds: at(p, p.doneMs!), freeRider: freeRiders.has(p.id) }))
      .sort((a, b) => a.seconds - b.seconds),
  };
}

/** Median completion (s) of the contributors and of the free riders; null for an empty group. */
function groupMedians(done: PeerView[], freeRiders: ReadonlySet<string>, at: (p: PeerView, ms: number) => number) {
  const times = (free: boolean) =>
    done.filter((p) => freeRiders.has(p.id) === free && p.doneMs !== undefined).map((p) => at(p, p.doneMs!));
  return { contributorsMedian: medianOf(times(false)), freeRidersMedian: medianOf(times(true)) };
}

/** The chunk size of a share of F bytes in `chunks` chunks: a power of two, at least 16 KiB (src/protocol/metadata.ts). */
export function chunkSizeOf(F: number, chunks: number): number {
  if (!(F > 0 && chunks > 0)) return 0;
  let size = MIN_CHUNK_SIZE;
  while (size * chunks < F) size *= 2;
  return size;
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
