/** What the engine tells the UI: discrete events (subscribe with `on`) and a pollable snapshot. */
import type { ShareMetadata } from '../protocol/metadata';
import type { EngineMode } from './config';

/** Why a neighbor was dropped. */
export type PeerRemovedReason = 'removed' | 'closed' | 'error' | 'banned' | 'timeout' | 'destroyed' | 'duplicate';

/** Discrete engine events, keyed by `type`. */
export type EngineEvent =
  /** Metadata fetched from `from` and verified against the info hash (not emitted when given up front). */
  | { type: 'metadata'; metadata: ShareMetadata; from: string }
  /** A neighbor completed the handshake. */
  | { type: 'peer-connected'; peerId: string; isOrigin: boolean }
  /** A neighbor is gone (for any reason). */
  | { type: 'peer-removed'; peerId: string; reason: PeerRemovedReason }
  /** Chunk `index` passed its hash check and is stored; `from` sent its (last) block. */
  | { type: 'chunk'; index: number; from: string }
  /** A neighbor sent a chunk that failed its hash check (or lied about metadata): dropped and refused from now on. */
  | { type: 'banned'; peerId: string; reason: string }
  /** A neighbor broke the protocol (malformed message, wrong share, ...): that link is closed, nothing else. */
  | { type: 'peer-error'; peerId: string; error: Error }
  /** Every chunk is verified and stored. */
  | { type: 'complete' }
  /** Local trouble (the chunk store failed). */
  | { type: 'error'; error: Error };

export type EngineEventListener = (event: EngineEvent) => void;

/** One neighbor, as the UI draws it. Rates are bytes per second. */
export interface NeighborSnapshot {
  peerId: string;
  handshaked: boolean;
  isOrigin: boolean;
  /** We refuse its requests. */
  amChoking: boolean;
  /** We want something it has. */
  amInterested: boolean;
  /** It refuses our requests. */
  peerChoking: boolean;
  /** It wants something we have. */
  peerInterested: boolean;
  /** It holds our optimistic unchoke slot. */
  optimistic: boolean;
  /** It sent us nothing for snubTimeoutMs while we waited. */
  snubbed: boolean;
  /** We unchoked it, it held chunks we wanted for long and never unchoked us (reciprocity.ts). */
  defector: boolean;
  downRate: number;
  upRate: number;
  bytesDown: number;
  bytesUp: number;
  /** Our requests to it not yet answered. */
  requestsOut: number;
  /** Its requests to us not yet answered. */
  requestsIn: number;
  haveCount: number;
  /** Its bitfield (MSB first); empty before we know the chunk count. */
  have: Uint8Array;
}

export interface EngineSnapshot {
  localPeerId: string;
  mode: EngineMode;
  hasMetadata: boolean;
  complete: boolean;
  chunkCount: number;
  verifiedChunks: number;
  totalBytes: number;
  verifiedBytes: number;
  /** 0..1. */
  progress: number;
  /** Our bitfield (MSB first). */
  have: Uint8Array;
  /** Chunks being fetched: started (blocks requested or received) or being hash-checked, ascending. */
  inFlight: number[];
  /** How many neighbors have each chunk. */
  availability: Uint16Array;
  downRate: number;
  upRate: number;
  bytesDown: number;
  bytesUp: number;
  neighbors: NeighborSnapshot[];
  banned: string[];
}
