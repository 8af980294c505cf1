/**
 * simple-peer, built for browsers. Its package entry is CommonJS that needs Node's buffer/process
 * shims; its prebuilt `simplepeer.min.js` bundles them and builds cleanly under Vite.
 */
// @ts-expect-error: the prebuilt bundle has no types of its own; its API is simple-peer's.
import SimplePeerBundle from 'simple-peer/simplepeer.min.js';
import type SimplePeerTypes from 'simple-peer';

export type SimplePeerInstance = SimplePeerTypes.Instance & { _pc: RTCPeerConnection };
export type SignalData = SimplePeerTypes.SignalData;

export const SimplePeer = SimplePeerBundle as unknown as new (opts: SimplePeerTypes.Options) => SimplePeerInstance;
