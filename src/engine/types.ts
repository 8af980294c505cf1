/**
 * The engine's narrow view of the world, and what it tells the world.
 * Everything here is injected, so the same engine runs in the Web Worker, in Node tests over an
 * in-memory transport, and in the simulator under a virtual clock.
 *
 * This is the contract between src/engine (the engine issue) and src/worker + src/app (the browser
 * app issue). Change it in one commit together with both sides.
 */

/** Time and timers. The worker passes the real ones; tests and the simulator a virtual clock. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}
/** Whatever the clock's setTimeout returned: a number in browsers, an object in Node and virtual clocks. */
export type TimerHandle = object | number;

/** One neighbor link: an ordered, reliable message channel (an RTCDataChannel in the browser). */
export interface Transport {
  /** Queues one message. The engine keeps `bufferedAmount` under its high-water mark itself. */
  send(message: Uint8Array): void;
  /** Bytes queued and not yet sent. */
  readonly bufferedAmount: number;
  /** Each returns an unsubscribe function. */
  onMessage(listener: (message: Uint8Array) => void): () => void;
  /** The queue fell to the low-water mark: the engine may send again. */
  onDrain(listener: () => void): () => void;
  /**
   * Optional: calls `listener` once, when `bufferedAmount` next falls to `bytes` or below (a
   * one-shot `bufferedAmountLowThreshold`); a later call replaces the pending one. The uplink queue
   * cap waits on it instead of polling.
   */
  onceBelow?(bytes: number, listener: () => void): void;
  onClose(listener: () => void): () => void;
  close(): void;
}

/** Verified chunks of one share, by index. The IndexedDB store and the memory store both pass one contract suite. */
export interface ChunkStore {
  get(index: number): Promise<Uint8Array | undefined>;
  /**
   * Only ever called with a chunk whose hash was verified; the chunk is announced once this
   * resolves (a store may resolve once `get` returns it, and write it later).
   */
  put(index: number, data: Uint8Array): Promise<void>;
  /** Indexes of every stored chunk (used to resume). */
  list(): Promise<number[]>;
  /** Drops every chunk of this share. */
  clear(): Promise<void>;
}

/**
 * How a private share's metadata travels (src/protocol/share-cipher.ts): peers exchange sealed
 * bytes, and only the link's holders can open them. With a seal, the engine's `infoHash` is the
 * share's swarm id (what both sides of a link know) and `open` is what checks metadata from a peer.
 */
export interface MetadataSeal {
  /** The bytes sent to peers for the canonical metadata. */
  seal(encoded: Uint8Array): Promise<Uint8Array>;
  /** The canonical metadata in what a peer sent; rejects when it is not this link's (the peer is banned). */
  open(sealed: Uint8Array): Promise<Uint8Array>;
}

/** SHA-256: `crypto.subtle` where there is one, a JS/WASM fallback elsewhere, memoized in the simulator. */
export interface Hasher {
  sha256(data: Uint8Array): Promise<Uint8Array>;
}
