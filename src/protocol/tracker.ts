/**
 * Client <-> tracker messages (WebSocket, JSON text frames).
 * The tracker issue owns validation (schemas live next to these types); this file is the contract
 * the browser's tracker client and signaling/ share.
 */

/** Bumped on any incompatible change; the server checks it on the first message (`hello`). */
export const TRACKER_PROTOCOL_VERSION = 1;

/** A swarm id: base64url (no padding) of a 32-byte SHA-256 info hash: 43 characters. */
export const SWARM_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A peer id, assigned by the server, never chosen by a client. */
export type PeerId = string;

/** First message on every connection. */
export interface HelloMessage { type: 'hello'; version: number }
/** Join (or re-join) a swarm; the reply is a fresh random `peers` list. */
export interface AnnounceMessage { type: 'announce'; swarm: string; want?: number }
/** Relay an opaque WebRTC handshake payload to a peer that shares `swarm` with the sender. */
export interface SignalMessage { type: 'signal'; swarm: string; to: PeerId; payload: unknown }
/** Leave one swarm. */
export interface LeaveMessage { type: 'leave'; swarm: string }

export type ClientMessage = HelloMessage | AnnounceMessage | SignalMessage | LeaveMessage;

/** Answer to `hello`: the server-chosen peer id of this connection. */
export interface WelcomeMessage { type: 'welcome'; version: number; peerId: PeerId }
/** Answer to `announce`: a random subset of the swarm's other members. */
export interface PeersMessage { type: 'peers'; swarm: string; peers: PeerId[] }
/** A relayed handshake, tagged by the server with the real sender. */
export interface SignalRelayMessage { type: 'signal'; swarm: string; from: PeerId; payload: unknown }
/** A peer this client exchanged signals with has left: drop any half-made connection. */
export interface PeerGoneMessage { type: 'peer-gone'; swarm: string; peerId: PeerId }
/** A request was refused or malformed; `ref` names the offending message type when known. */
export interface ErrorMessage { type: 'error'; code: TrackerErrorCode; message: string; ref?: string }

export type ServerMessage = WelcomeMessage | PeersMessage | SignalRelayMessage | PeerGoneMessage | ErrorMessage;

export type TrackerErrorCode =
  | 'bad-json'
  | 'bad-message'
  | 'unknown-type'
  | 'bad-version'
  | 'not-hello'
  | 'bad-swarm'
  | 'not-in-swarm'
  | 'unknown-peer'
  | 'too-large'
  | 'rate-limited'
  | 'too-many-swarms';
