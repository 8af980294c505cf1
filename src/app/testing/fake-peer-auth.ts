/**
 * The remote side of the peer-auth exchange for connector tests whose simple-peer is a stub: it
 * runs the real `authenticatePeer` against what the connector sends on the stub's channel.
 */
import { authenticatePeer, type AuthChannel } from '../net/peer-auth';

/** The SDPs a stub connection shows the connector: its own certificate and the peer's. */
export const FAKE_LOCAL_SDP = 'v=0\r\na=fingerprint:sha-256 AA:AA:AA\r\n';
export const FAKE_REMOTE_SDP = 'v=0\r\na=fingerprint:sha-256 BB:BB:BB\r\n';
export const fakePc = () => ({
  createDataChannel: () => ({}),
  localDescription: { sdp: FAKE_LOCAL_SDP },
  remoteDescription: { sdp: FAKE_REMOTE_SDP },
});

/** The swarm key stub connectors are given (any 32 bytes). */
export const TEST_AUTH_KEY = new Uint8Array(32).fill(0x5a);

export interface StubPeer {
  opts: { initiator: boolean };
  send(data: unknown): void;
  emit(event: string, ...args: unknown[]): void;
}

/** Real timers, taken before a test fakes them: crypto.subtle settles outside the fake clock. */
const realSetImmediate = globalThis.setImmediate;
const tick = () => new Promise<void>((r) => realSetImmediate(r));

/** Waits, on real ticks, until `done()` holds (at most `ticks` of them). */
export async function until(done: () => boolean, ticks = 1_000): Promise<void> {
  for (let i = 0; i < ticks && !done(); i++) await tick();
  if (!done()) throw new Error('condition not reached');
}

/**
 * Emits the stub's `connect` and answers the connector's exchange as the peer would, with
 * `authKey`. Resolves with the peer's own outcome (the connector's shows in its sink and links).
 */
export function connectAndProve(peer: StubPeer, authKey: Uint8Array = TEST_AUTH_KEY): Promise<void> {
  let listener: ((data: unknown) => void) | undefined;
  const send = peer.send.bind(peer);
  peer.send = (data: unknown) => {
    send(data);
    queueMicrotask(() => listener?.(data));
  };
  const channel: AuthChannel = {
    send: (data) => queueMicrotask(() => peer.emit('data', data)),
    onMessage: (l) => ((listener = l), () => (listener = undefined)),
    onClose: () => () => undefined,
  };
  peer.emit('connect');
  return authenticatePeer(channel, {
    authKey,
    initiator: !peer.opts.initiator,
    // The peer sees the two certificates the other way round.
    localFingerprint: 'sha-256 BB:BB:BB',
    remoteFingerprint: 'sha-256 AA:AA:AA',
  });
}
