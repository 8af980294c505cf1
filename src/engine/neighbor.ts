/** Everything the engine knows about one neighbor (one link). State only; behavior lives in the modules. */
import { Bitfield } from './bitfield';
import type { MessageLink } from './link';
import { RateMeter } from './rate';

/** A request we are serving: chunk, offset, length. */
export interface IncomingRequest {
  index: number;
  offset: number;
  length: number;
}

/** Key of a (chunk, block) pair in per-neighbor request maps. */
export function blockKey(index: number, block: number): number {
  return index * 65_536 + block;
}
export function keyIndex(key: number): number {
  return Math.floor(key / 65_536);
}
export function keyBlock(key: number): number {
  return key % 65_536;
}

export class Neighbor {
  readonly unsubscribe: (() => void)[] = [];
  removed = false;
  handshaked = false;
  isOrigin = false;
  remoteHasMetadata = false;
  connectedAt: number;

  amInterested = false;
  peerChoking = true;
  snubbed = false;

  /** Its chunks, once we know the chunk count. */
  have: Bitfield | undefined;
  /** Before we have metadata: bits it announced (wire layout, grown as needed), checked against the chunk count later. */
  pendingHave: Uint8Array | undefined;
  /** How many of its chunks we lack (interest without a scan). */
  wanted = 0;

  readonly down: RateMeter;
  /** Our requests to it: blockKey -> time sent. */
  readonly requestsOut = new Map<number, number>();
  /** Requests to it we gave up (its choke, a timeout, snubbing): blockKey -> when (keepLatePieces). */
  readonly releasedOut = new Map<number, number>();
  /** The picker's context for this neighbor, reused across fills (owned by the downloader). */
  pickContext: unknown;

  lastReceivedAt: number;
  lastSentAt: number;
  /** Last block from it, or when we started waiting on it (snub detection). */
  lastBlockAt: number;

  constructor(
    readonly peerId: string,
    readonly link: MessageLink,
    now: number,
    rateWindowMs: number,
  ) {
    this.connectedAt = now;
    this.lastReceivedAt = now;
    this.lastSentAt = now;
    this.lastBlockAt = now;
    this.down = new RateMeter(rateWindowMs, now);
  }
}
