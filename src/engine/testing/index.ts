/**
 * Helpers for tests and the simulator: virtual clock, held in-memory links, JS hashers, test swarms
 * and the ChunkStore contract suite (which imports vitest: tests only).
 */
export { VirtualClock } from '../../protocol/virtual-clock';
export { jsHasher } from './hasher';
export { createTransportPair, createLinkPair, HeldEnd, type HeldTransport, type HeldLink } from './held-pair';
export {
  TestSwarm,
  pseudoRandomBytes,
  makeShare,
  fillStore,
  firstDifference,
  yieldToHost,
  type TestSwarmOptions,
} from './test-swarm';
export {
  scriptedEngine,
  attachScripted,
  handshakeFor,
  peerErrors,
  type ScriptedPeer,
  type ScriptedSetup,
} from './scripted-peer';
export { runChunkStoreContract } from './chunk-store-contract';
