import { describe, expect, it } from 'vitest';
import { decodeRename, decodeRenameSignal, encodeRename, renameCheck, renameVouch } from './rename-message';

const ID = 'AbCdEfGh_-123456';
const NONCE = '0123456789abcdef0123456789abcdef';

describe('rename note between neighbors', () => {
  it('round-trips as a string and as bytes (simple-peer hands data over as a Uint8Array)', () => {
    expect(decodeRename(encodeRename(ID, NONCE))).toEqual({ peerId: ID, nonce: NONCE });
    expect(decodeRename(new TextEncoder().encode(encodeRename(ID, NONCE)))).toEqual({ peerId: ID, nonce: NONCE });
    expect(decodeRenameSignal(renameVouch(NONCE))).toEqual({ kind: 'vouch', nonce: NONCE });
    expect(decodeRenameSignal(renameCheck(NONCE))).toEqual({ kind: 'check', nonce: NONCE });
    expect(decodeRenameSignal({ type: 'renamed', v: 2, nonce: 'short' })).toBeUndefined();
    expect(decodeRenameSignal({ type: 'offer', sdp: 'x' })).toBeUndefined();
  });

  it.each([
    ['not JSON', 'renamed AbCdEfGh_-123456'],
    ['JSON null', 'null'],
    ['an array', '[1,2]'],
    ['another type', JSON.stringify({ type: 'hello', v: 2, peerId: ID, nonce: NONCE })],
    ['the old version without a nonce', JSON.stringify({ type: 'renamed', v: 1, peerId: ID })],
    ['no nonce', JSON.stringify({ type: 'renamed', v: 2, peerId: ID })],
    ['no id', JSON.stringify({ type: 'renamed', v: 2, nonce: NONCE })],
    ['an id of the wrong shape', JSON.stringify({ type: 'renamed', v: 2, peerId: 'short', nonce: NONCE })],
    ['a number for an id', JSON.stringify({ type: 'renamed', v: 2, peerId: 1234567890123456, nonce: NONCE })],
    ['too long', JSON.stringify({ type: 'renamed', v: 2, peerId: ID, nonce: NONCE, pad: 'x'.repeat(300) })],
  ])('ignores %s', (_what, text) => {
    expect(decodeRename(text)).toBeUndefined();
    expect(decodeRename(new TextEncoder().encode(text))).toBeUndefined();
  });

  it('ignores invalid UTF-8, other types and big buffers without throwing', () => {
    expect(decodeRename(new Uint8Array([0xff, 0xfe, 0x7b]))).toBeUndefined();
    expect(decodeRename(new Uint8Array(1 << 20))).toBeUndefined();
    expect(decodeRename(undefined)).toBeUndefined();
    expect(decodeRename({ type: 'renamed', v: 2, peerId: ID, nonce: NONCE })).toBeUndefined();
  });
});
