import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { classroomJoinLink } from './classroom/links';
import { formatLinkSecret, makeLinkSecret, shareKeys } from '../protocol/share-keys';
import { matchRoute } from './router';
import { OLD_SHARE_PATH, SHARE_PATH, shareLink } from './paths';
import { AuthKeys, readShareLink, swarmIdOfLink } from './share-link';

const secret = formatLinkSecret(makeLinkSecret(new Uint8Array(16).fill(1), new Uint8Array(32).fill(2)));

describe('share links', () => {
  it('a link names its swarm id and auth key; the link never contains them', () => {
    const keys = shareKeys(makeLinkSecret(new Uint8Array(16).fill(1), new Uint8Array(32).fill(2)));
    const r = readShareLink(secret);
    expect(r.ok && r.keys.swarmId).toBe(keys.swarmId);
    expect(swarmIdOfLink(secret)).toBe(keys.swarmId);
    const link = shareLink(secret, 'https://x.example');
    expect(link).toBe(`https://x.example/#/s/${secret}`);
    expect(link).not.toContain(keys.swarmId);
    const auth = new AuthKeys();
    expect(auth.add(secret)).toBe(keys.swarmId);
    expect(auth.get(keys.swarmId)).toEqual(keys.authKey);
  });

  it('cut or altered links are malformed, with no swarm id and no key', () => {
    for (const bad of [secret.slice(0, 42), `${secret}A`, secret.replace(/.$/, '+'), '']) {
      expect(readShareLink(bad)).toEqual({ ok: false, problem: 'malformed' });
      expect(swarmIdOfLink(bad)).toBeUndefined();
      expect(new AuthKeys().add(bad)).toBeUndefined();
    }
  });

  it('routes `#/s/<secret>` to the share view and `#/d/<info hash>` (an older version) to its own message', () => {
    const routes = [
      { pattern: SHARE_PATH, view: 'share' },
      { pattern: OLD_SHARE_PATH, view: 'old' },
    ];
    expect(matchRoute(routes, `/s/${secret}`)?.params).toEqual({ secret });
    expect(matchRoute(routes, `/d/${'A'.repeat(43)}`)?.view).toBe('old');
  });
});

describe('QR codes of the links (error correction M, as src/app/qr.ts draws them)', () => {
  const version = (text: string) => QRCode.create(text, { errorCorrectionLevel: 'M' }).version;
  it('a share link on a LAN address or an https host fits QR version 5 (37 modules)', () => {
    expect(version(shareLink(secret, 'http://192.168.100.200:8080'))).toBeLessThanOrEqual(5);
    expect(version(shareLink(secret, 'https://swarmdrop.example.org'))).toBeLessThanOrEqual(5);
  });
  it('the classroom join link (secret and room key) fits QR version 8 (49 modules)', () => {
    expect(version(classroomJoinLink('http://192.168.100.200:8080', secret, 'f'.repeat(64)))).toBeLessThanOrEqual(8);
  });
});
