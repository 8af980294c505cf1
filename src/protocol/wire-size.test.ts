import { describe, expect, it } from 'vitest';
import { encodeWireMessage } from './wire';
import type { WireMessage } from './wire-messages';
import { wireSize } from './wire-size';

describe('wireSize', () => {
  it('equals the encoded length of every message type', () => {
    const samples: WireMessage[] = [
      { type: 'handshake', version: 1, infoHash: new Uint8Array(32), peerId: 'peer-é-漢-😀', flags: 3 },
      { type: 'keep-alive' },
      { type: 'choke' },
      { type: 'unchoke' },
      { type: 'interested' },
      { type: 'not-interested' },
      { type: 'have', index: 7 },
      { type: 'bitfield', bits: new Uint8Array(32) },
      { type: 'request', index: 1, offset: 0, length: 16384 },
      { type: 'piece', index: 1, offset: 0, data: new Uint8Array(16384) },
      { type: 'cancel', index: 1, offset: 0, length: 16384 },
      { type: 'metadata-request', piece: 0 },
      { type: 'metadata-data', piece: 0, totalSize: 100, data: new Uint8Array(100) },
      { type: 'metadata-reject', piece: 0 },
    ];
    for (const m of samples) expect([m.type, wireSize(m)]).toEqual([m.type, encodeWireMessage(m).length]);
  });
});
