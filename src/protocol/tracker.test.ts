import { describe, expect, it } from 'vitest';
import { PEER_ID_PATTERN, SWARM_ID_PATTERN } from './tracker';
import { decodeClientMessage, decodeServerMessage } from './tracker-schema';

const swarm = Buffer.alloc(32, 7).toString('base64url');
const peer = 'abcdefghijklmnop';

describe('swarm id format', () => {
  it('accepts base64url of 32 bytes and rejects anything else', () => {
    expect(swarm).toHaveLength(43);
    expect(SWARM_ID_PATTERN.test(swarm)).toBe(true);
    expect(SWARM_ID_PATTERN.test(swarm + 'A')).toBe(false);
    expect(SWARM_ID_PATTERN.test(swarm.slice(1) + '=')).toBe(false);
    expect(SWARM_ID_PATTERN.test('../../etc/passwd')).toBe(false);
    expect(PEER_ID_PATTERN.test(Buffer.alloc(12, 1).toString('base64url'))).toBe(true);
  });
});

describe('decodeClientMessage', () => {
  it('accepts every core message and strips unknown fields', () => {
    for (const m of [
      { type: 'hello', version: 1 },
      { type: 'announce', swarm },
      { type: 'announce', swarm, want: 5 },
      { type: 'signal', swarm, to: peer, payload: { sdp: 'x' } },
      { type: 'signal', swarm, to: peer, payload: null },
      { type: 'leave', swarm },
    ]) {
      expect(decodeClientMessage(JSON.stringify(m))).toEqual({ ok: true, message: m });
    }
    expect(decodeClientMessage(JSON.stringify({ type: 'leave', swarm, from: peer }))).toEqual({
      ok: true,
      message: { type: 'leave', swarm },
    });
  });

  it.each([
    ['', 'bad-json'],
    ['null', 'bad-json'],
    ['"hello"', 'bad-json'],
    ['{"type":7}', 'bad-json'],
    ['{"type":"nope"}', 'unknown-type'],
    ['{"type":"__proto__"}', 'unknown-type'],
    ['{"type":"toString"}', 'unknown-type'],
    ['{"type":"hello"}', 'bad-message'],
    ['{"type":"hello","version":"1"}', 'bad-message'],
    ['{"type":"announce","swarm":"short"}', 'bad-swarm'],
    [`{"type":"announce","swarm":"${swarm}","want":1.5}`, 'bad-message'],
    [`{"type":"signal","swarm":"${swarm}","to":"short","payload":1}`, 'bad-message'],
  ])('%s -> %s', (text, code) => {
    const r = decodeClientMessage(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.message.length).toBeGreaterThan(5);
    }
  });
});

describe('decodeServerMessage', () => {
  it('accepts every core server message', () => {
    for (const m of [
      { type: 'welcome', version: 1, peerId: peer },
      { type: 'peers', swarm, peers: [peer] },
      { type: 'signal', swarm, from: peer, payload: { candidate: 'c' } },
      { type: 'peer-gone', swarm, peerId: peer },
      { type: 'error', code: 'rate-limited', message: 'slow down' },
      { type: 'error', code: 'classroom-denied', message: 'extension codes pass', ref: 'control' },
    ]) {
      expect(decodeServerMessage(JSON.stringify(m))).toEqual({ ok: true, message: m });
    }
  });

  it('names the bad field of a malformed server message', () => {
    const r = decodeServerMessage(JSON.stringify({ type: 'peers', swarm, peers: [peer, 3] }));
    expect(r).toMatchObject({ ok: false, code: 'bad-message' });
    if (!r.ok) expect(r.message).toMatch(/peers\.1/);
  });
});
