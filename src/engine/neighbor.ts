/** One neighbor (one link) as the core sees it, and the keys of per-neighbor request maps. */
import { Bitfield } from './bitfield';
import type { MessageLink } from './link';

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

/**
 * The link-level facts of one neighbor, owned by the core (engine.ts sets them at the handshake,
 * core.ts when the link goes). Each module keeps its own per-neighbor state (Downloader's
 * Fetching, Uploader's Serving, ChokeManager's ChokeState, SuperSeeder's Shown) and answers for
 * it through its methods. `have` is the one shared fact: written only by the downloader (it
 * reads the neighbor's bitfield and haves), read by the choker, uploader and super-seeder.
 */
export class Neighbor {
  readonly unsubscribe: (() => void)[] = [];
  removed = false;
  handshaked = false;
  isOrigin = false;
  /** It has the metadata (its handshake said so, or it announced a chunk since). */
  remoteHasMetadata = false;
  connectedAt: number;
  /** Its chunks, once we know the chunk count. */
  have: Bitfield | undefined;
  lastReceivedAt: number;
  lastSentAt: number;

  constructor(
    readonly peerId: string,
    readonly link: MessageLink,
    now: number,
  ) {
    this.connectedAt = now;
    this.lastReceivedAt = now;
    this.lastSentAt = now;
  }
}
