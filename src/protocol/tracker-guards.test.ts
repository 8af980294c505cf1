import { describe, expect, it } from 'vitest';
import { isSignalMessage, MAX_PAYLOAD_DEPTH, nestsAtMost, parseObject, signalRelayText } from './tracker-guards';
import { decodeServerMessage, parseEnvelope, signalSchema } from './tracker-schema';
import { createSeededRandom } from '../engine/index';

const swarm = Buffer.alloc(32, 7).toString('base64url');
const peer = 'abcdefghijklmnop';

function nested(depth: number, array: boolean): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = array ? [v] : { k: v };
  return v;
}

const SWARMS: unknown[] = [
  swarm,
  swarm.slice(1),
  swarm + 'A',
  swarm.slice(1) + '=',
  swarm.slice(1) + '/',
  '../../etc/passwd',
  42,
  null,
  [],
  {},
  true,
  undefined,
];
const PEERS: unknown[] = [
  peer,
  peer.slice(1),
  peer + 'q',
  'abcdefghijklmno=',
  'abcdefghijklmn\u00e9p',
  7,
  null,
  [peer],
  undefined,
];
const PAYLOADS: unknown[] = [
  undefined,
  null,
  0,
  '',
  'offer',
  false,
  [],
  {},
  { sdp: 'v=0', type: 'offer' },
  { candidate: { candidate: 'c', sdpMid: '0' } },
  ...[1, 7, 8, 9, 12].flatMap((d) => [nested(d, true), nested(d, false)]),
  { __proto__: null, deep: nested(9, false) },
  JSON.parse('{"__proto__":{"a":[[[[[[[[1]]]]]]]]}}'),
];
const TYPES: unknown[] = ['signal', 'Signal', 'announce', 7, undefined];

describe('isSignalMessage accepts exactly what the zod signal schema accepts', () => {
  it('on every combination of good and bad fields', () => {
    let accepted = 0;
    let total = 0;
    for (const type of TYPES)
      for (const s of SWARMS)
        for (const to of PEERS)
          for (const payload of PAYLOADS) {
            const m: Record<string, unknown> = { type, swarm: s, to, payload };
            for (const k of Object.keys(m)) if (m[k] === undefined) delete m[k];
            const zod = signalSchema.safeParse(m).success;
            expect(isSignalMessage(m as never), JSON.stringify(m)).toBe(zod);
            accepted += zod ? 1 : 0;
            total++;
          }
    expect(accepted).toBeGreaterThan(10); // the corpus exercises both answers
    expect(total - accepted).toBeGreaterThan(1000);
  });

  it('on random JSON texts shaped like signals (seeded)', () => {
    const random = createSeededRandom(2);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    for (let i = 0; i < 3000; i++) {
      const m: Record<string, unknown> = {};
      const keys = ['type', 'swarm', 'to', 'payload', 'from', 'extra', '__proto__'];
      for (const k of keys)
        if (random() < 0.8) m[k] = pick([...SWARMS, ...PEERS, ...PAYLOADS, ...TYPES, 'signal', swarm, peer]);
      if (random() < 0.5) m.type = 'signal';
      const text = JSON.stringify(m);
      const parsed = parseObject(text);
      const envelope = parseEnvelope(text);
      expect(parsed !== undefined, text).toBe(envelope.ok);
      if (!parsed) continue;
      expect(isSignalMessage(parsed), text).toBe(signalSchema.safeParse(parsed).success);
    }
  });

  it('takes the last of duplicate keys, as JSON.parse and so zod do', () => {
    const text = `{"type":"signal","swarm":"${swarm}","to":"${peer}","payload":1,"payload":${JSON.stringify(nested(9, true))}}`;
    expect(isSignalMessage(parseObject(text)!)).toBe(false);
    expect(signalSchema.safeParse(JSON.parse(text)).success).toBe(false);
  });
});

describe('parseObject', () => {
  it.each([
    '',
    'not json',
    'null',
    '"signal"',
    '[{"type":"signal"}]',
    '{"type":7}',
    '{"swarm":"x"}',
    '{"type":"signal"',
  ])('refuses %s, like parseEnvelope', (text) => {
    expect(parseObject(text)).toBeUndefined();
    expect(parseEnvelope(text).ok).toBe(false);
  });
  it('returns the object itself', () => {
    expect(parseObject(' {"type":"signal","a":[1]} ')).toEqual({ type: 'signal', a: [1] });
  });
});

describe('nestsAtMost', () => {
  it('counts arrays and objects alike, and stops at the limit', () => {
    expect(nestsAtMost(nested(MAX_PAYLOAD_DEPTH, true), MAX_PAYLOAD_DEPTH)).toBe(true);
    expect(nestsAtMost(nested(MAX_PAYLOAD_DEPTH, false), MAX_PAYLOAD_DEPTH)).toBe(true);
    expect(nestsAtMost(nested(MAX_PAYLOAD_DEPTH + 1, true), MAX_PAYLOAD_DEPTH)).toBe(false);
    expect(nestsAtMost({ a: 1, b: [2, { c: nested(MAX_PAYLOAD_DEPTH, false) }] }, MAX_PAYLOAD_DEPTH)).toBe(false);
    expect(nestsAtMost(JSON.parse('['.repeat(50_000) + ']'.repeat(50_000)), MAX_PAYLOAD_DEPTH)).toBe(false); // no stack overflow
    expect(nestsAtMost('x', 0)).toBe(true);
    expect(nestsAtMost([], 0)).toBe(false);
  });
});

describe('signalRelayText', () => {
  it('is the JSON of the relay message, which the browser decodes', () => {
    for (const payload of PAYLOADS.filter((p) => p !== undefined && nestsAtMost(p, MAX_PAYLOAD_DEPTH))) {
      const text = signalRelayText(swarm, peer, payload);
      expect(text).toBe(JSON.stringify({ type: 'signal', swarm, from: peer, payload }));
      expect(decodeServerMessage(text)).toEqual({ ok: true, message: { type: 'signal', swarm, from: peer, payload } });
    }
    const tricky = { s: '"},"from":"evilevilevilevil', u: '\u2028\ud83d\ude00' };
    expect(JSON.parse(signalRelayText(swarm, peer, tricky))).toEqual({
      type: 'signal',
      swarm,
      from: peer,
      payload: tricky,
    });
  });
});
