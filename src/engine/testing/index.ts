/** Helpers for tests and the simulator: virtual clock, held in-memory links, JS hashers. */
export { VirtualClock } from '../../sim/virtual-clock';
export { corruptingStore } from './corrupting-store';
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
