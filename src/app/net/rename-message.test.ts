import { describe, expect, it } from 'vitest';
import { decodeRename, encodeRename } from './rename-message';

const ID = 'AbCdEfGh_-123456';

describe('rename note between neighbors', () => {
  it('round-trips as a string and as bytes (simple-peer hands data over as a Uint8Array)', () => {
    expect(decodeRename(encodeRename(ID))).toBe(ID);
    expect(decodeRename(new TextEncoder().encode(encodeRename(ID)))).toBe(ID);
  });

  it.each([
    ['not JSON', 'renamed AbCdEfGh_-123456'],
    ['JSON null', 'null'],
    ['an array', '[1,2]'],
    ['another type', JSON.stringify({ type: 'hello', v: 1, peerId: ID })],
    ['another version', JSON.stringify({ type: 'renamed', v: 2, peerId: ID })],
    ['no id', JSON.stringify({ type: 'renamed', v: 1 })],
    ['an id of the wrong shape', JSON.stringify({ type: 'renamed', v: 1, peerId: 'short' })],
    ['a number for an id', JSON.stringify({ type: 'renamed', v: 1, peerId: 1234567890123456 })],
    ['too long', JSON.stringify({ type: 'renamed', v: 1, peerId: ID, pad: 'x'.repeat(300) })],
  ])('ignores %s', (_what, text) => {
    expect(decodeRename(text)).toBeUndefined();
    expect(decodeRename(new TextEncoder().encode(text))).toBeUndefined();
  });

  it('ignores invalid UTF-8, other types and big buffers without throwing', () => {
    expect(decodeRename(new Uint8Array([0xff, 0xfe, 0x7b]))).toBeUndefined();
    expect(decodeRename(new Uint8Array(1 << 20))).toBeUndefined();
    expect(decodeRename(undefined)).toBeUndefined();
    expect(decodeRename({ type: 'renamed', v: 1, peerId: ID })).toBeUndefined();
  });
});
