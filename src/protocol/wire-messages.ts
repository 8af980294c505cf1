/**
 * The peer wire protocol: messages exchanged between two neighbors of one share, over one ordered,
 * reliable data channel. Byte layouts are in wire.ts (next to the codec) and docs/PROTOCOL.md.
 */

/** Bumped on any incompatible change; checked in the handshake (a mismatch closes the link). */
export const WIRE_PROTOCOL_VERSION = 2;

/** Largest encoded message the codec produces or accepts: Chromium's data-channel message limit. */
export const MAX_WIRE_MESSAGE_BYTES = 262_144;
/** Largest block (request length / piece payload) on a byte transport: fits one message with headroom. */
export const MAX_WIRE_BLOCK_BYTES = 131_072;
/** Peer ids are opaque strings assigned by the tracker; at most this many UTF-8 bytes. */
export const MAX_PEER_ID_BYTES = 64;
/** Metadata travels in pieces of this size (the last one may be shorter). */
export const METADATA_PIECE_BYTES = 16_384;
/** Upper bound on encoded metadata, so a peer cannot make us allocate without limit. */
export const MAX_METADATA_BYTES = 8 * 1024 * 1024;
/** Upper bound on chunks per share (the bitfield of the largest share is 32 KiB). */
export const MAX_CHUNK_COUNT = 262_144;

/** Handshake flag bits. */
export const HANDSHAKE_FLAG_ORIGIN = 1; // the sender is the share's original sharer
export const HANDSHAKE_FLAG_HAS_METADATA = 2; // the sender can answer metadata requests

/** First message each way: protocol version, share identity and who is speaking. */
export interface HandshakeMessage {
  type: 'handshake';
  version: number;
  /** SHA-256 of the canonical metadata encoding (32 bytes). */
  infoHash: Uint8Array;
  peerId: string;
  /** HANDSHAKE_FLAG_* bits. */
  flags: number;
}
/** Nothing to say; keeps an idle link from being timed out. */
export interface KeepAliveMessage {
  type: 'keep-alive';
}
/** The sender will not answer requests until it sends unchoke; pending requests are dropped. */
export interface ChokeMessage {
  type: 'choke';
}
/** The sender will answer requests. */
export interface UnchokeMessage {
  type: 'unchoke';
}
/** The sender wants chunks the receiver has. */
export interface InterestedMessage {
  type: 'interested';
}
/** The sender wants nothing the receiver has. */
export interface NotInterestedMessage {
  type: 'not-interested';
}
/** The sender now has (verified) chunk `index`. */
export interface HaveMessage {
  type: 'have';
  index: number;
}
/**
 * Every chunk the sender has, one bit each, most significant bit of byte 0 = chunk 0; spare bits
 * zero. May be sent more than once (the receiver takes the union: chunks are never lost).
 */
export interface BitfieldMessage {
  type: 'bitfield';
  bits: Uint8Array;
}
/** Ask for `length` bytes of chunk `index` from `offset`. */
export interface RequestMessage {
  type: 'request';
  index: number;
  offset: number;
  length: number;
}
/** A block of a chunk, answering a request. */
export interface PieceMessage {
  type: 'piece';
  index: number;
  offset: number;
  data: Uint8Array;
}
/** Withdraw an earlier request. */
export interface CancelMessage {
  type: 'cancel';
  index: number;
  offset: number;
  length: number;
}
/** Ask for metadata piece `piece` (METADATA_PIECE_BYTES each). */
export interface MetadataRequestMessage {
  type: 'metadata-request';
  piece: number;
}
/** One metadata piece; `totalSize` is the whole encoded metadata's size. */
export interface MetadataDataMessage {
  type: 'metadata-data';
  piece: number;
  totalSize: number;
  data: Uint8Array;
}
/** The sender has no metadata (yet) or will not give that piece. */
export interface MetadataRejectMessage {
  type: 'metadata-reject';
  piece: number;
}

/** Every peer wire message, keyed by `type`. */
export type WireMessage =
  | HandshakeMessage
  | KeepAliveMessage
  | ChokeMessage
  | UnchokeMessage
  | InterestedMessage
  | NotInterestedMessage
  | HaveMessage
  | BitfieldMessage
  | RequestMessage
  | PieceMessage
  | CancelMessage
  | MetadataRequestMessage
  | MetadataDataMessage
  | MetadataRejectMessage;

export type WireMessageType = WireMessage['type'];

/** Shared instances of the payload-less messages, so the engine does not allocate per send. */
export const KEEP_ALIVE: KeepAliveMessage = Object.freeze({ type: 'keep-alive' });
export const CHOKE: ChokeMessage = Object.freeze({ type: 'choke' });
export const UNCHOKE: UnchokeMessage = Object.freeze({ type: 'unchoke' });
export const INTERESTED: InterestedMessage = Object.freeze({ type: 'interested' });
export const NOT_INTERESTED: NotInterestedMessage = Object.freeze({ type: 'not-interested' });

/** Bytes of untrusted input did not form a valid message. Never thrown out of the engine. */
export class WireDecodeError extends Error {
  override readonly name = 'WireDecodeError';
  constructor(message: string) {
    super(message);
  }
}
