import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from './base64url';
import { SWARM_ID_PATTERN } from '../protocol/tracker';

describe('base64url', () => {
  it('round-trips 32 bytes into a 43-character swarm id', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i * 8 + 3);
    const id = toBase64Url(bytes);
    expect(id).toMatch(SWARM_ID_PATTERN);
    expect(fromBase64Url(id)).toEqual(bytes);
  });
  it('refuses malformed ids', () => {
    expect(fromBase64Url('abc')).toBeUndefined();
    expect(fromBase64Url('!'.repeat(43))).toBeUndefined();
    expect(fromBase64Url('A'.repeat(44))).toBeUndefined();
    expect(fromBase64Url('A'.repeat(42) + 'B')).toBeUndefined(); // 43 valid characters, but not the form our ids take
    expect(fromBase64Url('A'.repeat(42) + '=')).toBeUndefined();
  });
});
