import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { hostForUrl, iceServersFor, withTcpFallback } from './ice-servers.ts';
import { startTracker } from './tracker.ts';
import { issueTurnCredential, turnPassword } from './turn-credentials.ts';

describe('TURN REST credentials', () => {
  it('matches a known vector: base64(HMAC-SHA1(secret, username))', () => {
    // printf '%s' '1700003600:abc' | openssl dgst -sha1 -hmac 'north' -binary | base64
    expect(turnPassword('north', '1700003600:abc')).toBe('IMSPYGMI9e0aXDFcZousOwkA8N0=');
  });

  it('puts the expiry (now + ttl, unix seconds) first in the username', () => {
    const c = issueTurnCredential('north', 3600, 1_700_000_000_500, () => 'abc');
    expect(c).toEqual({ username: '1700003600:abc', credential: 'IMSPYGMI9e0aXDFcZousOwkA8N0=' });
  });

  it('gives a different username on every call', () => {
    const a = issueTurnCredential('s', 60);
    const b = issueTurnCredential('s', 60);
    expect(a.username).not.toBe(b.username);
  });
});

describe('hostForUrl (the Host header, checked before it goes into a stun: URL)', () => {
  it.each([
    ['192.168.1.10:8080', '192.168.1.10'],
    ['Laptop.local:8080', 'laptop.local'],
    ['classroom.test', 'classroom.test'],
    ['[fe80::1]:8080', '[fe80::1]'],
    ['localhost:3000', 'localhost'],
  ])('accepts %s', (header, host) => expect(hostForUrl(header)).toBe(host));

  it.each([
    undefined,
    '',
    'evil.example/?x=1',
    'a b',
    'turn:evil.example',
    'user@evil.example',
    'evil.example:80:80',
    '[not-ipv6]:1',
    '-bad-.example',
    'x'.repeat(300),
    'evil.example\r\nx: y',
    'stun.example,stun:other',
  ])('refuses %j', (header) => expect(hostForUrl(header)).toBeUndefined());
});

describe('iceServersFor', () => {
  const turn = { urls: ['turn:turn.example:3478'], secret: 'top-secret-value', ttlSec: 600 };

  it('lists the built-in STUN at the page host first, then TURN, then ICE_SERVERS', () => {
    const list = iceServersFor('10.0.0.5:8080', { stunPort: 8080, turn, iceServers: [{ urls: 'stun:extra' }] }, 0);
    expect(list[0]).toEqual({ urls: 'stun:10.0.0.5:8080' });
    expect(list[1]).toMatchObject({
      urls: ['turn:turn.example:3478?transport=udp', 'turn:turn.example:3478?transport=tcp'],
      username: expect.stringMatching(/^600:/),
    });
    expect(list[2]).toEqual({ urls: 'stun:extra' });
  });

  it('offers a TURN URL without a transport over UDP and TCP; one credential covers both', () => {
    const list = iceServersFor('h', { turn: { ...turn, urls: ['turn:[2001:db8::1]:3478'] }, iceServers: [] }, 0);
    expect(list).toHaveLength(1);
    expect(list[0]!.urls).toEqual(['turn:[2001:db8::1]:3478?transport=udp', 'turn:[2001:db8::1]:3478?transport=tcp']);
  });

  it('keeps an explicit transport, turns:, and lists each URL once', () => {
    expect(
      withTcpFallback([
        'turn:a.example:3478?transport=udp',
        'TURN:b.example',
        'turns:a.example:5349?transport=tcp',
        'turn:a.example:3478',
      ]),
    ).toEqual([
      'turn:a.example:3478?transport=udp',
      'TURN:b.example?transport=udp',
      'TURN:b.example?transport=tcp',
      'turns:a.example:5349?transport=tcp',
      'turn:a.example:3478?transport=tcp',
    ]);
    // Only UDP named: the operator chose it (e.g. coturn started with --no-tcp); no TCP is added.
    expect(withTcpFallback(['turn:a.example:3478?transport=udp'])).toEqual(['turn:a.example:3478?transport=udp']);
  });

  it('never puts the secret in the answer', () => {
    const json = JSON.stringify(iceServersFor('h:1', { stunPort: 1, turn, iceServers: [] }));
    expect(json).not.toContain(turn.secret);
  });

  it('leaves STUN out for a bad Host, and when it is off; the public URL wins', () => {
    expect(iceServersFor('a b', { stunPort: 1, iceServers: [] })).toEqual([]);
    expect(iceServersFor('h', { iceServers: [] })).toEqual([]);
    expect(iceServersFor('h', { stunPort: 1, stunPublicUrl: 'stun:pub.example:3478', iceServers: [] })).toEqual([
      { urls: 'stun:pub.example:3478' },
    ]);
  });
});

describe('loadConfig: STUN and TURN', () => {
  it('reads STUN_PORT, STUN_PUBLIC_URL, TURN_URLS, TURN_SECRET, TURN_TTL; flags win', () => {
    const c = loadConfig(['--stun-port', '0'], {
      STUN_PORT: '3478',
      STUN_PUBLIC_URL: 'stun:drop.example:3478',
      TURN_URLS: 'turn:drop.example:3478, turns:drop.example:5349?transport=tcp',
      TURN_SECRET: 's3cret',
      TURN_TTL: '120',
    });
    expect(c.stunPort).toBe(0);
    expect(c.stunPublicUrl).toBe('stun:drop.example:3478');
    expect(c.turn).toEqual({
      urls: ['turn:drop.example:3478', 'turns:drop.example:5349?transport=tcp'],
      secret: 's3cret',
      ttlSec: 120,
    });
  });

  it('defaults the TURN lifetime to one hour', () => {
    expect(loadConfig([], { TURN_URLS: 'turn:t:3478', TURN_SECRET: 'x' }).turn?.ttlSec).toBe(3600);
  });

  it.each([
    [{ STUN_PORT: '70000' }, /STUN_PORT/],
    [{ STUN_PUBLIC_URL: 'http://x' }, /STUN_PUBLIC_URL/],
    [{ TURN_URLS: 'turn:x:3478' }, /TURN_SECRET/],
    [{ TURN_SECRET: 'x' }, /TURN_URLS/],
    [{ TURN_URLS: 'turn:x?user=a', TURN_SECRET: 'x' }, /TURN_URLS/],
    [{ TURN_URLS: 'turn:x', TURN_SECRET: 'x', TURN_TTL: '0' }, /TURN_TTL/],
  ])('refuses %j', (env, words) => {
    expect(() => loadConfig([], env)).toThrow(ConfigError);
    expect(() => loadConfig([], env)).toThrow(words);
  });
});

describe('the tracker serves them (real HTTP)', () => {
  function get(port: number, path: string, host: string): Promise<{ status: number; type: string; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('/config.json per request, from the Host header; /docs/DEPLOY.md as text', async () => {
    const secret = 'never-in-a-browser';
    const tracker = await startTracker({
      iceServers: (req) =>
        iceServersFor(req.headers.host, {
          stunPort: 8080,
          turn: { urls: ['turn:t.example:3478'], secret, ttlSec: 60 },
          iceServers: [],
        }),
    });
    try {
      const a = await get(tracker.port, '/config.json', 'lan.example:8080');
      const b = await get(tracker.port, '/config.json', 'lan.example:8080');
      expect(JSON.parse(a.body).iceServers[0]).toEqual({ urls: 'stun:lan.example:8080' });
      expect(a.body).not.toContain(secret);
      expect(JSON.parse(a.body).iceServers[1].username).not.toBe(JSON.parse(b.body).iceServers[1].username);
      const bad = await get(tracker.port, '/config.json', 'x"y');
      expect(JSON.parse(bad.body).iceServers.map((s: { urls: unknown }) => s.urls)).toEqual([
        ['turn:t.example:3478?transport=udp', 'turn:t.example:3478?transport=tcp'],
      ]);
      const doc = await get(tracker.port, '/docs/DEPLOY.md', 'h');
      expect(doc.status).toBe(200);
      expect(doc.type).toContain('text/plain');
      expect(doc.body).toContain('## When peers cannot connect');
    } finally {
      await tracker.close();
    }
  });
});
