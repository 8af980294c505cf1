/**
 * The classroom stats layout without its validation (./classroom.ts adds the zod schemas): the
 * engine worker builds stats messages from these and must not bundle zod (about half its size).
 */
/** Bumped on an incompatible change of the stats layout. */
export const CLASSROOM_STATS_VERSION = 1;
/** A stats message larger than this (JSON bytes) is refused by the tracker and by the projector. */
export const MAX_STATS_BYTES = 12 * 1024;
/** Largest file classroom mode describes chunk by chunk: 32768 chunks of 256 KiB = 8 GiB. */
export const MAX_CHUNKS = 32768;
/** At most this many neighbors and in-flight chunks are reported; the rest are dropped by the sender. */
export const MAX_NEIGHBORS = 64;
export const MAX_IN_FLIGHT = 256;

/** Neighbor flags, bit by bit (see `NeighborStats`). */
export const NB_WE_UNCHOKE = 1;
export const NB_OPTIMISTIC = 2;
export const NB_THEY_UNCHOKE = 4;
export const NB_INTERESTED = 8;

/**
 * One neighbor link as seen by the reporting peer, as a tuple to stay compact:
 * [neighbor peer id, bytes/s we upload to it, bytes/s we download from it, flags]
 * flags: 1 = we unchoke it, 2 = it is our optimistic unchoke, 4 = it unchokes us, 8 = it is interested.
 */
export type NeighborStats = [peerId: string, up: number, down: number, flags: number];

/**
 * What one peer reports about itself, about once a second. Wire layout (JSON object):
 * - v: CLASSROOM_STATS_VERSION; role: 's' sharer | 'p' downloading peer
 * - r: round number the peer is in; m: 'p2p' | 'cs' (the mode it is applying)
 * - n: chunk count; F: file size in bytes (all files of the share together)
 * - h: have-bitfield, packed MSB-first like BitTorrent (chunk 0 = bit 7 of byte 0), base64
 * - f: indexes of chunks in flight (requested, not yet verified)
 * - up, dn: total upload / download rate (bytes/s); cu, cd: the caps it applies (0 = none)
 * - el: ms since this peer started the round; dt: ms from round start to complete (absent until then)
 * - nb: neighbors (see NeighborStats)
 */
export interface PeerStats {
  v: number;
  role: 's' | 'p';
  r: number;
  m: ClassroomMode;
  n: number;
  F: number;
  h: string;
  f: number[];
  up: number;
  dn: number;
  cu: number;
  cd: number;
  el: number;
  dt?: number;
  nb: NeighborStats[];
}

/** The stats of a downloader that completed `doneMs` after its round started (its clock stops there). */
export function withDoneTime<S extends PeerStats>(stats: S, doneMs: number): S {
  const dt = Math.round(doneMs);
  return { ...stats, dt, el: dt };
}

/** Whether the reporting peer has completed its round. */
export function isRoundDone(stats: PeerStats): boolean {
  return stats.dt !== undefined;
}

/** 'p2p': everyone uploads to everyone (BitTorrent); 'cs': downloaders fetch only from the sharer. */
export type ClassroomMode = 'p2p' | 'cs';
