/** SKELETON (public API first, implementation follows in later commits). */
import type { ShareMetadata } from '../protocol/metadata';
import type { ChunkStore, Clock, Hasher, Transport } from './types';
import type { EngineConfig, EngineMode } from './config';
import type { EngineEventListener, EngineSnapshot } from './events';
import type { MessageLink } from './link';
import type { Random } from './random';

export interface EngineOptions {
  /** SHA-256 of the canonical metadata: the share's identity (32 bytes). */
  infoHash: Uint8Array;
  /** The sharer passes it; a downloader omits it and fetches it from peers (verified against infoHash). */
  metadata?: ShareMetadata;
  /** Canonical bytes of `metadata` (encoded from `metadata` when omitted). */
  encodedMetadata?: Uint8Array;
  store: ChunkStore;
  clock: Clock;
  hasher: Hasher;
  /** Default: Math.random. Tests and the simulator pass createSeededRandom(seed). */
  random?: Random;
  /** Our id as the tracker assigned it (sent in the handshake). */
  localPeerId: string;
  config?: Partial<EngineConfig>;
}

export interface RateLimits {
  /** Bytes per second; Infinity = no cap. */
  upBytesPerSec: number;
  downBytesPerSec: number;
}

export class SwarmEngine {
  static async create(options: EngineOptions): Promise<SwarmEngine> {
    return new SwarmEngine(options);
  }
  private constructor(readonly options: EngineOptions) {}
  get infoHash(): Uint8Array { return this.options.infoHash; }
  get localPeerId(): string { return this.options.localPeerId; }
  addPeer(_peerId: string, _transport: Transport): void { throw new Error('not implemented'); }
  addPeerLink(_peerId: string, _link: MessageLink): void { throw new Error('not implemented'); }
  removePeer(_peerId: string): void { throw new Error('not implemented'); }
  setRateLimits(_limits: Partial<RateLimits>): void { throw new Error('not implemented'); }
  setMode(_mode: EngineMode): void { throw new Error('not implemented'); }
  on(_listener: EngineEventListener): () => void { throw new Error('not implemented'); }
  snapshot(): EngineSnapshot { throw new Error('not implemented'); }
  getMetadata(): ShareMetadata | undefined { return this.options.metadata; }
  isComplete(): boolean { return false; }
  destroy(): void {}
}
