import { describe, expect, it } from 'vitest';
import { SWARM_ID_PATTERN } from './tracker';

describe('swarm id format', () => {
  it('accepts base64url of 32 bytes and rejects anything else', () => {
    const id = Buffer.alloc(32, 7).toString('base64url');
    expect(id).toHaveLength(43);
    expect(SWARM_ID_PATTERN.test(id)).toBe(true);
    expect(SWARM_ID_PATTERN.test(id + 'A')).toBe(false);
    expect(SWARM_ID_PATTERN.test(id.slice(1) + '=')).toBe(false);
    expect(SWARM_ID_PATTERN.test('../../etc/passwd')).toBe(false);
  });
});
