/**
 * Client <-> tracker messages (WebSocket, JSON text frames, one message per frame).
 * The contract the browser's tracker client and signaling/ share; the zod schemas that check
 * every frame before it is believed live next to it in `tracker-schema.ts`.
 *
 * Flow: client `hello` -> server `welcome` (server-chosen peer id); then any number of
 * `announce` (-> `peers`), `signal` (relayed as `signal` with `from`), `leave`. The server sends
 * `peer-gone` when a peer this client exchanged signals with leaves, and `error` for anything it
 * refuses. Extra message types (e.g. the classroom's) may be registered on the server: see
 * docs/TRACKER.md.
 */

/** Bumped on any incompatible change; the server checks it on the first message (`hello`). */
export const TRACKER_PROTOCOL_VERSION = 1;

/** The WebSocket endpoint's path on the tracker's HTTP server. */
export const TRACKER_PATH = '/tracker';

/** A swarm id: base64url (no padding) of a 32-byte SHA-256 info hash: 43 characters. */
export const SWARM_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A peer id as the server makes them: base64url of 12 random bytes, 16 characters. */
export const PEER_ID_PATTERN = /^[A-Za-z0-9_-]{16}$/;

/** A peer id, assigned by the server, never chosen by a client. */
export type PeerId = string;

/** First message on every connection; `version` must equal TRACKER_PROTOCOL_VERSION. */
export interface HelloMessage {
  type: 'hello';
  version: number;
}
/**
 * Join (or re-join) a swarm; the reply is a fresh random `peers` list of at most `want`
 * (server default and cap: 30) other members.
 */
export interface AnnounceMessage {
  type: 'announce';
  swarm: string;
  want?: number;
}
/** Relay an opaque WebRTC handshake payload (SDP/ICE) to a peer that shares `swarm` with the sender. */
export interface SignalMessage {
  type: 'signal';
  swarm: string;
  to: PeerId;
  payload: unknown;
}
/** Leave one swarm; the peers this client exchanged signals with in it are told (`peer-gone`). */
export interface LeaveMessage {
  type: 'leave';
  swarm: string;
}

/** Everything a client may send (besides registered extension types). */
export type ClientMessage = HelloMessage | AnnounceMessage | SignalMessage | LeaveMessage;

/** Answer to `hello`: the server-chosen peer id of this connection. */
export interface WelcomeMessage {
  type: 'welcome';
  version: number;
  peerId: PeerId;
}
/** Answer to `announce`: a random subset of the swarm's other members (never the asker). */
export interface PeersMessage {
  type: 'peers';
  swarm: string;
  peers: PeerId[];
}
/** A relayed handshake, tagged by the server with the real sender. */
export interface SignalRelayMessage {
  type: 'signal';
  swarm: string;
  from: PeerId;
  payload: unknown;
}
/** A peer this client exchanged signals with has left: drop any half-made connection. */
export interface PeerGoneMessage {
  type: 'peer-gone';
  swarm: string;
  peerId: PeerId;
}
/**
 * A request was refused or malformed; `ref` names the offending message type when known.
 * `code` is a TrackerErrorCode, or an extension's own code (e.g. the classroom's).
 */
export interface ErrorMessage {
  type: 'error';
  code: TrackerErrorCode | (string & {});
  message: string;
  ref?: string;
}

/** Everything the server may send (besides registered extension types). */
export type ServerMessage = WelcomeMessage | PeersMessage | SignalRelayMessage | PeerGoneMessage | ErrorMessage;

/** Why the server refused a message. */
export type TrackerErrorCode =
  | 'bad-json' // not JSON, or not a JSON object with a string `type`
  | 'bad-message' // a known type with missing or wrongly typed fields
  | 'unknown-type'
  | 'bad-version' // `hello` with another protocol version
  | 'not-hello' // anything before `hello`, or a second `hello`
  | 'bad-swarm' // swarm id not in SWARM_ID_PATTERN format
  | 'not-in-swarm' // signal/leave for a swarm the sender has not announced
  | 'unknown-peer' // signal to a peer that is not in that swarm
  | 'too-large' // signal payload over the configured cap
  | 'rate-limited' // token bucket empty: slow down (abuse closes the socket)
  | 'too-many-swarms'
  | 'internal'; // a server-side bug; the connection stays usable

/** WebSocket close codes the tracker uses. */
export const TRACKER_CLOSE = {
  /** Server shutting down (SIGTERM): reconnect later. */
  goingAway: 1001,
  /** Kept flooding after `rate-limited`, or never said hello in time. */
  policy: 1008,
  /** A frame over the max message size. */
  tooBig: 1009,
  /** Too many connections (per IP or in total): try again later. */
  tryAgainLater: 1013,
} as const;
