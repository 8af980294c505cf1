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

/**
 * A per-neighbor slot private to the module that makes it: its key is a symbol nobody else holds,
 * so only that module reads or writes what it keeps there. A property on the neighbor, not a
 * WeakMap: these lookups sit on the hottest paths (a WeakMap cost ~25 % more CPU in a 100-peer
 * simulation). The state outlives the link, so a neighbor dropped mid-call still finds it.
 */
export interface NeighborSlot<T> {
  get(n: Neighbor): T;
  set(n: Neighbor, value: T): void;
}

export function neighborSlot<T>(name: string): NeighborSlot<T> {
  const key = Symbol(name);
  type Slotted = Neighbor & Record<symbol, T>;
  return {
    get: (n) => (n as Slotted)[key]!,
    set: (n, value) => {
      (n as Slotted)[key] = value;
    },
  };
}
