/**
 * Public API of the swarm engine (src/engine). Everything the worker, the app and the simulator
 * use is exported from here; nothing else in src/engine is a promise.
 *
 * Usage:
 *   const share = await createShare(files, hasher);                         // sharer
 *   const engine = await SwarmEngine.create({ infoHash: share.infoHash, metadata: share.metadata,
 *     encodedMetadata: share.encodedMetadata, store, clock, hasher, localPeerId,
 *     config: { role: 'seeder', isOrigin: true } });
 *   const engine = await SwarmEngine.create({ infoHash, store, clock, hasher, localPeerId }); // downloader
 *   engine.addPeer(peerId, transport);      // byte transport (data channel): codec + validation
 *   engine.addPeerLink(peerId, link);       // message link (simulator: no encoding)
 *   const off = engine.on((event) => ...);  // metadata | peer-connected | peer-removed | chunk | banned | peer-error | complete | error
 *   engine.snapshot();                      // progress, bitfields, per-neighbor state, availability
 */
export type { Clock, TimerHandle, Transport, ChunkStore, Hasher, MetadataSeal } from './types';
export { SwarmEngine, type EngineOptions, type RateLimits } from './engine';
export { DEFAULT_ENGINE_CONFIG, EngineConfigError, type EngineConfig, type EngineMode } from './config';
export type { EngineEvent, EngineEventListener, EngineSnapshot, NeighborSnapshot, PeerRemovedReason } from './events';
export { linkFromTransport, type MessageLink } from './link';
export { Listeners } from './listeners';
export { TransportEvents, type MessageFanOut } from './transport-events';
export {
  createShare,
  describeShare,
  readConcatenated,
  type ShareSource,
  type CreatedShare,
  type CreateShareOptions,
} from './share';
export { MemoryChunkStore } from './memory-store';
export { incrementalSha256, inPageHasher, pickHasher, type HasherKind, type IncrementalSha256 } from './hasher';
export { createSeededRandom, pseudoRandomBytes, type Random } from './random';
// The one virtual clock (tests step it, the simulator runs its event queue) and the tampering
// peer's store (tests and the e2e `tamper` flag).
export { VirtualClock } from '../protocol/virtual-clock';
export { EventQueue, type SimEvent } from '../protocol/event-queue';
export { corruptingStore } from './corrupting-store';
export {
  decodeMetadata,
  parseMetadata,
  encodeMetadata,
  chunkHash,
  chunkLength,
  chooseChunkSize,
  MetadataError,
  DEFAULT_CHUNK_SIZE,
  type ShareMetadata,
  type ShareFile,
} from '../protocol/metadata';
export { PeerProtocolError, ChunkStoreError } from './errors';
export {
  WIRE_PROTOCOL_VERSION,
  MAX_WIRE_BLOCK_BYTES,
  MAX_WIRE_MESSAGE_BYTES,
  WireDecodeError,
  type WireMessage,
} from '../protocol/wire-messages';
export { encodeWireMessage, decodeWireMessage } from '../protocol/wire';
// The store contract suite imports vitest: import it from './chunk-store-contract' in tests only.
// Test and simulator helpers (virtual clock, held links, hashers, fixtures): './testing/index'.
