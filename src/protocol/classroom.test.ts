import { describe, expect, it } from 'vitest';
import {
  MAX_STATS_BYTES,
  ClassroomMessageError,
  parseClassroomClient,
  parseClassroomServer,
  type PeerStats,
} from './classroom';
import { fromBase64, packBitfield, toBase64, unpackBitfield } from './classroom-bitfield';
import { peerStats } from './testing/peer-stats';

const swarm = Buffer.alloc(32, 9).toString('base64url');

const stats = (over: Partial<PeerStats> = {}): PeerStats =>
  peerStats({
    n: 10,
    h: packBitfield(10, (i) => i % 3 === 0),
    f: [1, 2],
    up: 1000,
    dn: 2000,
    el: 1500,
    nb: [
      ['peerA', 100, 200, 1 | 4],
      ['peerB', 0, 50, 2],
    ],
    ...over,
  });

describe('bitfield packing', () => {
  it('packs MSB-first and round-trips', () => {
    const b64 = packBitfield(10, (i) => i === 0 || i === 9);
    expect([...fromBase64(b64)]).toEqual([0x80, 0x40]);
    expect(
      unpackBitfield(b64, 10)
        .map((x, i) => (x ? i : -1))
        .filter((i) => i >= 0),
    ).toEqual([0, 9]);
  });
  it('matches Node base64 for every length', () => {
    for (let n = 0; n < 20; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) & 255);
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect([...fromBase64(toBase64(bytes))]).toEqual([...bytes]);
    }
  });
  it('rejects bad base64 and a wrong length', () => {
    expect(() => fromBase64('ab$=')).toThrow(/bad base64/);
    expect(() => fromBase64('abc')).toThrow(/bad base64/);
    expect(() =>
      unpackBitfield(
        packBitfield(10, () => true),
        30,
      ),
    ).toThrow(/for 30 chunks/);
  });
});

describe('classroom client messages', () => {
  it('accepts a well-formed stats message', () => {
    const msg = parseClassroomClient({ type: 'classroom-stats', swarm, stats: stats() });
    expect(msg.type).toBe('classroom-stats');
  });
  it('keeps a stats message for 8 GiB with 64 neighbors under the size limit', () => {
    const big = stats({
      n: 32768,
      F: 32768 * 262144,
      h: packBitfield(32768, () => true),
      f: Array.from({ length: 256 }, (_, i) => i),
      nb: Array.from(
        { length: 64 },
        (_, i) => [`peer-${i}-abcdefghij`, 123456.5, 654321.25, 15] as [string, number, number, number],
      ),
    });
    const text = JSON.stringify({ type: 'classroom-stats', swarm, stats: big });
    expect(text.length).toBeLessThan(MAX_STATS_BYTES + 512);
    expect(() => parseClassroomClient(JSON.parse(text))).not.toThrow();
  });
  it.each([
    ['a bitfield that does not match the chunk count', { h: packBitfield(30, () => true) }],
    ['an in-flight index past the end', { f: [10] }],
    ['a negative rate', { up: -1 }],
    ['a NaN-like rate', { dn: Number.POSITIVE_INFINITY }],
    ['an unknown mode', { m: 'udp' }],
    ['too many neighbors', { nb: Array.from({ length: 65 }, (_, i) => [`p${i}`, 0, 0, 0]) }],
    ['a neighbor id with odd characters', { nb: [['<script>', 0, 0, 0]] }],
    ['bad flags', { nb: [['p', 0, 0, 16]] }],
    ['a wrong version', { v: 2 }],
    ['an extra field', { evil: true }],
    ['non-base64 bitfield', { h: '!!' }],
  ])('rejects stats with %s', (_name, over) => {
    expect(() => parseClassroomClient({ type: 'classroom-stats', swarm, stats: { ...stats(), ...over } })).toThrow(
      ClassroomMessageError,
    );
  });
  it('rejects a bad swarm id, an unknown type and a malformed secret', () => {
    expect(() => parseClassroomClient({ type: 'classroom-watch', swarm: '../x' })).toThrow(/swarm/);
    expect(() => parseClassroomClient({ type: 'classroom-nope', swarm })).toThrow(ClassroomMessageError);
    expect(() => parseClassroomClient({ type: 'classroom-open', swarm, secretHash: 'xyz' })).toThrow(/secretHash/);
    expect(() => parseClassroomClient(null)).toThrow(ClassroomMessageError);
  });
  it('accepts a control message and rejects a bad one', () => {
    const control = {
      round: 2,
      mode: 'cs',
      sharerUp: 262144,
      peerUp: 131072,
      peerDown: 0,
      perPeer: { abc: { up: 1000 } },
    };
    const secret = 'a'.repeat(64);
    expect(parseClassroomClient({ type: 'classroom-control', swarm, secret, control }).type).toBe('classroom-control');
    expect(() =>
      parseClassroomClient({ type: 'classroom-control', swarm, secret, control: { ...control, round: -1 } }),
    ).toThrow();
    expect(() =>
      parseClassroomClient({
        type: 'classroom-control',
        swarm,
        secret,
        control: { ...control, perPeer: { x: { up: 1, hack: 1 } } },
      }),
    ).toThrow();
  });
});

describe('classroom server messages', () => {
  it('parses a relayed stats message', () => {
    const msg = parseClassroomServer(JSON.stringify({ type: 'classroom-stats', swarm, from: 'p1', stats: stats() }));
    expect(msg.type === 'classroom-stats' && msg.from).toBe('p1');
  });
  it('rejects oversized text, bad JSON and a bad shape with a named error', () => {
    expect(() => parseClassroomServer('x'.repeat(MAX_STATS_BYTES + 600))).toThrow(
      expect.objectContaining({ code: 'too-large' }),
    );
    expect(() => parseClassroomServer('{not json')).toThrow(expect.objectContaining({ code: 'bad-message' }));
    expect(() => parseClassroomServer(JSON.stringify({ type: 'classroom-members', swarm, peers: [1] }))).toThrow(
      ClassroomMessageError,
    );
  });
});
