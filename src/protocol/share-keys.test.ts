import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64urlnopad } from '@scure/base';
import {
  LINK_SECRET_BYTES,
  LinkError,
  formatLinkSecret,
  keysFromSeed,
  makeLinkSecret,
  matchesLink,
  parseLinkSecret,
  shareKeys,
} from './share-keys';

const seed = Uint8Array.from({ length: 16 }, (_, i) => i);
const infoHash = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const salt = 'swarmdrop share link v3';
const nodeHkdf = (info: string) => new Uint8Array(hkdfSync('sha256', seed, salt, info, 32));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('share keys', () => {
  it('derives each key by HKDF-SHA256 with its own info string (checked against node:crypto)', () => {
    const k = shareKeys(makeLinkSecret(seed, infoHash));
    expect(hex(k.swarmIdBytes)).toBe(hex(nodeHkdf('swarm id')));
    expect(hex(k.chunkKey)).toBe(hex(nodeHkdf('chunk key (AES-256-CTR)')));
    expect(hex(k.metadataKey)).toBe(hex(nodeHkdf('metadata key (AES-256-GCM)')));
    expect(hex(k.authKey)).toBe(hex(nodeHkdf('peer auth key (HMAC-SHA256)')));
    expect(k.swarmId).toBe(base64urlnopad.encode(k.swarmIdBytes));
    expect(k.infoHashPrefix).toEqual(infoHash.subarray(0, 16));
    // Known answer: a change of salt or info string changes every swarm id already handed out.
    expect(k.swarmId).toBe(base64urlnopad.encode(nodeHkdf('swarm id')));
    expect(new Set([k.swarmIdBytes, k.chunkKey, k.metadataKey, k.authKey].map(hex)).size).toBe(4);
  });

  it('the swarm id does not depend on the info hash; the keys of the seed alone are the link’s', () => {
    const a = shareKeys(makeLinkSecret(seed, infoHash));
    const b = keysFromSeed(seed);
    expect(b.swarmId).toBe(a.swarmId);
    expect(b.chunkKey).toEqual(a.chunkKey);
  });

  it('formats 43 base64url characters and parses them back', () => {
    const secret = makeLinkSecret(seed, infoHash);
    const text = formatLinkSecret(secret);
    expect(text).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parseLinkSecret(text)).toEqual(secret);
  });

  it.each([
    ['too short', 'A'.repeat(42)],
    ['too long', 'A'.repeat(44)],
    ['not base64url', `${'A'.repeat(42)}+`],
    ['padding', `${'A'.repeat(42)}=`],
    ['non-canonical last character', `${'A'.repeat(42)}B`],
    ['an old info-hash link id of another length', 'A'.repeat(64)],
    ['empty', ''],
  ])('refuses a secret that is %s as malformed', (_what, text) => {
    let err: unknown;
    try {
      parseLinkSecret(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LinkError);
    expect((err as LinkError).problem).toBe('malformed');
  });

  it('refuses secrets and seeds of the wrong length', () => {
    expect(() => shareKeys(new Uint8Array(LINK_SECRET_BYTES - 1))).toThrow(LinkError);
    expect(() => shareKeys(new Uint8Array(LINK_SECRET_BYTES + 1))).toThrow(LinkError);
    expect(() => keysFromSeed(new Uint8Array(15))).toThrow(LinkError);
    expect(() => makeLinkSecret(seed, new Uint8Array(8))).toThrow(LinkError);
  });

  it('matches the info hash the link names, and no other (a tampered prefix fails)', () => {
    const k = shareKeys(makeLinkSecret(seed, infoHash));
    expect(matchesLink(k, infoHash)).toBe(true);
    for (const at of [0, 7, 15]) {
      const other = infoHash.slice();
      other[at]! ^= 1;
      expect(matchesLink(k, other)).toBe(false);
    }
    const tampered = makeLinkSecret(seed, infoHash);
    tampered[20]! ^= 0x80;
    expect(matchesLink(shareKeys(tampered), infoHash)).toBe(false);
    // Only the prefix is in the link: bytes past it do not matter.
    const tail = infoHash.slice();
    tail[31]! ^= 1;
    expect(matchesLink(k, tail)).toBe(true);
    expect(matchesLink(k, infoHash.subarray(0, 8))).toBe(false);
  });
});
