/**
 * Binary codec of the peer wire protocol (types in wire-messages.ts). One message per data-channel
 * message; byte 0 is the message id, integers are big-endian u32 unless noted.
 *
 *   id  message           layout after the id byte
 *   0   handshake         u8 version | u8 flags | 32 infoHash | u8 idLength | idLength bytes peer id (UTF-8, 1..64)
 *   1   keep-alive        (nothing)
 *   2   choke             (nothing)
 *   3   unchoke           (nothing)
 *   4   interested        (nothing)
 *   5   not-interested    (nothing)
 *   6   have              u32 index
 *   7   bitfield          bits (1..MAX_CHUNK_COUNT/8 bytes, chunk 0 = MSB of the first byte)
 *   8   request           u32 index | u32 offset | u32 length (1..MAX_WIRE_BLOCK_BYTES)
 *   9   piece             u32 index | u32 offset | data (1..MAX_WIRE_BLOCK_BYTES bytes)
 *   10  cancel            u32 index | u32 offset | u32 length (1..MAX_WIRE_BLOCK_BYTES)
 *   11  metadata-request  u32 piece
 *   12  metadata-data     u32 piece | u32 totalSize (1..MAX_METADATA_BYTES) | data (1..METADATA_PIECE_BYTES)
 *   13  metadata-reject   u32 piece
 *
 * Decoding checks the layout only (lengths, ranges that need no context); the engine checks the
 * meaning (chunk index in range, request within the chunk, ...). It never throws.
 */
import {
  MAX_CHUNK_COUNT,
  MAX_METADATA_BYTES,
  MAX_PEER_ID_BYTES,
  MAX_WIRE_BLOCK_BYTES,
  MAX_WIRE_MESSAGE_BYTES,
  METADATA_PIECE_BYTES,
  WIRE_PROTOCOL_VERSION,
  WireDecodeError,
  CHOKE,
  INTERESTED,
  KEEP_ALIVE,
  NOT_INTERESTED,
  UNCHOKE,
  type WireMessage,
} from './wire-messages';
import { utf8Decode, utf8Encode } from './utf8';

export const WIRE_IDS = {
  handshake: 0,
  'keep-alive': 1,
  choke: 2,
  unchoke: 3,
  interested: 4,
  'not-interested': 5,
  have: 6,
  bitfield: 7,
  request: 8,
  piece: 9,
  cancel: 10,
  'metadata-request': 11,
  'metadata-data': 12,
  'metadata-reject': 13,
} as const satisfies Record<WireMessage['type'], number>;

const INFO_HASH_BYTES = 32;

export type DecodeResult = { ok: true; message: WireMessage } | { ok: false; error: WireDecodeError };

function frame(id: number, bodyLength: number): { out: Uint8Array; view: DataView } {
  const out = new Uint8Array(1 + bodyLength);
  out[0] = id;
  return { out, view: new DataView(out.buffer) };
}

/** Encodes one message. Throws WireDecodeError on a message the protocol cannot carry (a local bug). */
export function encodeWireMessage(m: WireMessage): Uint8Array {
  switch (m.type) {
    case 'handshake': {
      const id = utf8Encode(m.peerId);
      if (id.length < 1 || id.length > MAX_PEER_ID_BYTES)
        throw new WireDecodeError('peer id must be 1..64 UTF-8 bytes');
      if (m.infoHash.length !== INFO_HASH_BYTES) throw new WireDecodeError('info hash must be 32 bytes');
      const { out } = frame(WIRE_IDS.handshake, 3 + INFO_HASH_BYTES + id.length);
      out[1] = m.version;
      out[2] = m.flags;
      out.set(m.infoHash, 3);
      out[3 + INFO_HASH_BYTES] = id.length;
      out.set(id, 4 + INFO_HASH_BYTES);
      return out;
    }
    case 'keep-alive':
    case 'choke':
    case 'unchoke':
    case 'interested':
    case 'not-interested':
      return Uint8Array.of(WIRE_IDS[m.type]);
    case 'have':
    case 'metadata-request':
    case 'metadata-reject': {
      const { out, view } = frame(WIRE_IDS[m.type], 4);
      view.setUint32(1, m.type === 'have' ? m.index : m.piece);
      return out;
    }
    case 'bitfield': {
      const { out } = frame(WIRE_IDS.bitfield, m.bits.length);
      out.set(m.bits, 1);
      return out;
    }
    case 'request':
    case 'cancel': {
      const { out, view } = frame(WIRE_IDS[m.type], 12);
      view.setUint32(1, m.index);
      view.setUint32(5, m.offset);
      view.setUint32(9, m.length);
      return out;
    }
    case 'piece': {
      const { out, view } = frame(WIRE_IDS.piece, 8 + m.data.length);
      view.setUint32(1, m.index);
      view.setUint32(5, m.offset);
      out.set(m.data, 9);
      return out;
    }
    case 'metadata-data': {
      const { out, view } = frame(WIRE_IDS['metadata-data'], 8 + m.data.length);
      view.setUint32(1, m.piece);
      view.setUint32(5, m.totalSize);
      out.set(m.data, 9);
      return out;
    }
  }
}

const fail = (message: string): DecodeResult => ({ ok: false, error: new WireDecodeError(message) });

/** Decodes one message from untrusted bytes. Payloads (piece data, bits) are views into `bytes`. */
export function decodeWireMessage(bytes: Uint8Array): DecodeResult {
  try {
    return decodeUnchecked(bytes);
  } catch (e) {
    return fail(`undecodable message: ${(e as Error).message}`);
  }
}

function decodeUnchecked(bytes: Uint8Array): DecodeResult {
  if (!(bytes instanceof Uint8Array)) return fail('message is not bytes');
  if (bytes.length === 0) return fail('empty message');
  if (bytes.length > MAX_WIRE_MESSAGE_BYTES)
    return fail(`message of ${bytes.length} bytes exceeds ${MAX_WIRE_MESSAGE_BYTES}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const id = bytes[0]!;
  const bodyLength = bytes.length - 1;
  const exact = (n: number, name: string): DecodeResult | undefined =>
    bodyLength === n ? undefined : fail(`${name}: body must be ${n} bytes, got ${bodyLength}`);
  switch (id) {
    case WIRE_IDS.handshake: {
      if (bodyLength < 1) return fail('handshake truncated');
      const version = bytes[1]!;
      if (version !== WIRE_PROTOCOL_VERSION)
        return fail(`unsupported protocol version ${version} (this peer speaks ${WIRE_PROTOCOL_VERSION})`);
      if (bodyLength < 2 + INFO_HASH_BYTES + 1) return fail('handshake truncated');
      const flags = bytes[2]!;
      const infoHash = bytes.slice(3, 3 + INFO_HASH_BYTES);
      const idLength = bytes[3 + INFO_HASH_BYTES]!;
      if (idLength < 1 || idLength > MAX_PEER_ID_BYTES) return fail('handshake: bad peer id length');
      if (bodyLength !== 2 + INFO_HASH_BYTES + 1 + idLength) return fail('handshake: length does not match peer id');
      const peerId = utf8Decode(bytes.subarray(4 + INFO_HASH_BYTES));
      if (peerId === undefined) return fail('handshake: peer id is not UTF-8');
      return { ok: true, message: { type: 'handshake', version, flags, infoHash, peerId } };
    }
    case WIRE_IDS['keep-alive']:
      return exact(0, 'keep-alive') ?? { ok: true, message: KEEP_ALIVE };
    case WIRE_IDS.choke:
      return exact(0, 'choke') ?? { ok: true, message: CHOKE };
    case WIRE_IDS.unchoke:
      return exact(0, 'unchoke') ?? { ok: true, message: UNCHOKE };
    case WIRE_IDS.interested:
      return exact(0, 'interested') ?? { ok: true, message: INTERESTED };
    case WIRE_IDS['not-interested']:
      return exact(0, 'not-interested') ?? { ok: true, message: NOT_INTERESTED };
    case WIRE_IDS.have:
      return exact(4, 'have') ?? { ok: true, message: { type: 'have', index: view.getUint32(1) } };
    case WIRE_IDS['metadata-request']:
      return (
        exact(4, 'metadata-request') ?? { ok: true, message: { type: 'metadata-request', piece: view.getUint32(1) } }
      );
    case WIRE_IDS['metadata-reject']:
      return (
        exact(4, 'metadata-reject') ?? { ok: true, message: { type: 'metadata-reject', piece: view.getUint32(1) } }
      );
    case WIRE_IDS.bitfield:
      if (bodyLength < 1 || bodyLength > MAX_CHUNK_COUNT / 8) return fail(`bitfield: bad length ${bodyLength}`);
      return { ok: true, message: { type: 'bitfield', bits: bytes.subarray(1) } };
    case WIRE_IDS.request:
    case WIRE_IDS.cancel: {
      const type = id === WIRE_IDS.request ? 'request' : 'cancel';
      const bad = exact(12, type);
      if (bad) return bad;
      const length = view.getUint32(9);
      if (length < 1 || length > MAX_WIRE_BLOCK_BYTES)
        return fail(`${type}: length ${length} out of 1..${MAX_WIRE_BLOCK_BYTES}`);
      return { ok: true, message: { type, index: view.getUint32(1), offset: view.getUint32(5), length } };
    }
    case WIRE_IDS.piece: {
      if (bodyLength < 9) return fail('piece truncated');
      if (bodyLength - 8 > MAX_WIRE_BLOCK_BYTES) return fail('piece: block too large');
      return {
        ok: true,
        message: { type: 'piece', index: view.getUint32(1), offset: view.getUint32(5), data: bytes.subarray(9) },
      };
    }
    case WIRE_IDS['metadata-data']: {
      if (bodyLength < 9) return fail('metadata-data truncated');
      const piece = view.getUint32(1);
      const totalSize = view.getUint32(5);
      const dataLength = bodyLength - 8;
      if (totalSize < 1 || totalSize > MAX_METADATA_BYTES)
        return fail(`metadata-data: total size ${totalSize} out of range`);
      if (dataLength > METADATA_PIECE_BYTES) return fail('metadata-data: piece too large');
      const pieces = Math.ceil(totalSize / METADATA_PIECE_BYTES);
      if (piece >= pieces) return fail('metadata-data: piece index beyond total size');
      const expected = piece === pieces - 1 ? totalSize - piece * METADATA_PIECE_BYTES : METADATA_PIECE_BYTES;
      if (dataLength !== expected) return fail(`metadata-data: piece ${piece} must be ${expected} bytes`);
      return { ok: true, message: { type: 'metadata-data', piece, totalSize, data: bytes.subarray(9) } };
    }
    default:
      return fail(`unknown message id ${id}`);
  }
}
