import { describe, expect, it } from 'vitest';
import { decodeWireMessage, encodeWireMessage, WIRE_IDS } from './wire';
import {
  MAX_WIRE_BLOCK_BYTES,
  MAX_WIRE_MESSAGE_BYTES,
  METADATA_PIECE_BYTES,
  WIRE_PROTOCOL_VERSION,
  WireDecodeError,
  type WireMessage,
} from './wire-messages';
import { createSeededRandom } from '../engine/index';

const hash = Uint8Array.from({ length: 32 }, (_, i) => i);
const samples: WireMessage[] = [
  { type: 'handshake', version: WIRE_PROTOCOL_VERSION, infoHash: hash, peerId: 'peer-é1', flags: 3 },
  { type: 'keep-alive' },
  { type: 'choke' },
  { type: 'unchoke' },
  { type: 'interested' },
  { type: 'not-interested' },
  { type: 'have', index: 4_000_000_000 },
  { type: 'bitfield', bits: Uint8Array.of(0xff, 0x80) },
  { type: 'request', index: 7, offset: 16384, length: 16384 },
  { type: 'piece', index: 7, offset: 16384, data: Uint8Array.from({ length: 1000 }, (_, i) => i & 255) },
  { type: 'cancel', index: 7, offset: 0, length: MAX_WIRE_BLOCK_BYTES },
  { type: 'metadata-request', piece: 2 },
  { type: 'metadata-data', piece: 1, totalSize: METADATA_PIECE_BYTES + 10, data: new Uint8Array(10).fill(9) },
  { type: 'metadata-reject', piece: 0 },
];

function decodeOk(bytes: Uint8Array): WireMessage {
  const r = decodeWireMessage(bytes);
  if (!r.ok) throw r.error;
  return r.message;
}
function decodeErr(bytes: Uint8Array): string {
  const r = decodeWireMessage(bytes);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.error.message;
}

describe('wire codec', () => {
  it('round-trips every message type', () => {
    expect(new Set(samples.map((s) => s.type)).size).toBe(Object.keys(WIRE_IDS).length);
    for (const m of samples) expect(decodeOk(encodeWireMessage(m))).toEqual(m);
  });

  it('puts the id in byte 0 and integers big-endian', () => {
    expect([...encodeWireMessage({ type: 'have', index: 0x01020304 })]).toEqual([6, 1, 2, 3, 4]);
    expect([...encodeWireMessage({ type: 'request', index: 1, offset: 2, length: 3 })]).toEqual([
      8, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
    ]);
  });

  it('rejects every truncation of every message without throwing', () => {
    for (const m of samples) {
      const bytes = encodeWireMessage(m);
      for (let cut = 0; cut < Math.min(bytes.length, 50); cut++) {
        const r = decodeWireMessage(bytes.subarray(0, cut));
        // A truncated bitfield/piece may still be a shorter valid one; anything else must fail.
        if (r.ok) expect(['bitfield', 'piece', 'metadata-data']).toContain(m.type);
      }
    }
  });

  it('rejects trailing bytes on fixed-size messages', () => {
    for (const m of samples.filter((s) => !['bitfield', 'piece', 'metadata-data'].includes(s.type))) {
      const bytes = encodeWireMessage(m);
      const longer = new Uint8Array(bytes.length + 1);
      longer.set(bytes);
      expect(decodeWireMessage(longer).ok).toBe(false);
    }
  });

  it('rejects unknown ids, empty and oversized messages', () => {
    expect(decodeErr(Uint8Array.of(99))).toMatch(/unknown message id 99/);
    expect(decodeErr(new Uint8Array(0))).toMatch(/empty/);
    expect(decodeErr(new Uint8Array(MAX_WIRE_MESSAGE_BYTES + 1))).toMatch(/exceeds/);
  });

  it('rejects a handshake of another protocol version with a clear message', () => {
    const bytes = encodeWireMessage(samples[0]!);
    bytes[1] = WIRE_PROTOCOL_VERSION + 1;
    expect(decodeErr(bytes)).toMatch(/unsupported protocol version/);
  });

  it('rejects bad peer ids in a handshake', () => {
    const bytes = encodeWireMessage(samples[0]!);
    bytes[35] = 0; // id length 0
    expect(decodeWireMessage(bytes).ok).toBe(false);
    const badUtf8 = encodeWireMessage({ ...(samples[0] as Extract<WireMessage, { type: 'handshake' }>), peerId: 'ab' });
    badUtf8[36] = 0xff;
    expect(decodeErr(badUtf8)).toMatch(/UTF-8/);
  });

  it('rejects oversized and zero-length blocks', () => {
    const req = encodeWireMessage({ type: 'request', index: 0, offset: 0, length: 1 });
    new DataView(req.buffer).setUint32(9, MAX_WIRE_BLOCK_BYTES + 1);
    expect(decodeErr(req)).toMatch(/length/);
    new DataView(req.buffer).setUint32(9, 0);
    expect(decodeErr(req)).toMatch(/length/);
    const piece = new Uint8Array(9 + MAX_WIRE_BLOCK_BYTES + 1);
    piece[0] = WIRE_IDS.piece;
    expect(decodeErr(piece)).toMatch(/too large/);
    expect(decodeErr(Uint8Array.of(WIRE_IDS.piece, 0, 0, 0, 0, 0, 0, 0, 0))).toMatch(/truncated/);
  });

  it('rejects metadata pieces inconsistent with the total size', () => {
    const m = encodeWireMessage({ type: 'metadata-data', piece: 0, totalSize: 100, data: new Uint8Array(100) });
    new DataView(m.buffer).setUint32(5, 99);
    expect(decodeErr(m)).toMatch(/must be 99 bytes/);
    new DataView(m.buffer).setUint32(1, 5);
    expect(decodeWireMessage(m).ok).toBe(false);
    new DataView(m.buffer).setUint32(5, 0);
    expect(decodeErr(m)).toMatch(/total size/);
  });

  it('refuses to encode what the protocol cannot carry', () => {
    expect(() =>
      encodeWireMessage({ type: 'handshake', version: 1, infoHash: new Uint8Array(31), peerId: 'x', flags: 0 }),
    ).toThrow(WireDecodeError);
    expect(() => encodeWireMessage({ type: 'handshake', version: 1, infoHash: hash, peerId: '', flags: 0 })).toThrow(
      WireDecodeError,
    );
  });

  it('never throws on random bytes (seeded)', () => {
    const random = createSeededRandom(42);
    for (let i = 0; i < 5000; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 60) }, () => Math.floor(random() * 256));
      if (bytes.length > 0 && random() < 0.8) bytes[0] = Math.floor(random() * 15);
      const r = decodeWireMessage(bytes);
      if (!r.ok) expect(r.error).toBeInstanceOf(WireDecodeError);
    }
    expect(decodeWireMessage('nope' as unknown as Uint8Array).ok).toBe(false);
  });

  it('returns payloads as views without copying', () => {
    const bytes = encodeWireMessage(samples[9]!);
    const m = decodeOk(bytes) as Extract<WireMessage, { type: 'piece' }>;
    expect(m.data.buffer).toBe(bytes.buffer);
  });
});
