/**
 * The relay's fast path (hub.ts: hand-written guard instead of zod, relay frame built as text)
 * against a real server and real `ws` clients: every signal it must refuse still gets the error
 * reply the zod path gives, and what it relays is exactly { type, swarm, from, payload }.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_DEPTH } from '../src/protocol/tracker-guards.ts';
import { decodeClientMessage } from '../src/protocol/tracker-schema.ts';
import { startTracker, type Tracker } from './tracker.ts';
import { roundTrip, swarmId, TestClient } from './testing/test-client.ts';

let tracker: Tracker;
let a: TestClient;
let b: TestClient;
const swarm = swarmId(1);

beforeAll(async () => {
  tracker = await startTracker({
    limits: { maxSignalBytes: 4096, messagesPerSec: 10_000, messageBurst: 10_000 },
    log: () => {},
  });
  a = await TestClient.connect(tracker.wsUrl);
  b = await TestClient.connect(tracker.wsUrl);
  await a.announce(swarm);
  await b.announce(swarm);
});
afterAll(async () => {
  a.ws.terminate();
  b.ws.terminate();
  await tracker.close();
});

const nested = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

describe('the signal fast path refuses what the schema refuses, with the same reply', () => {
  const cases: [string, () => string, string, RegExp][] = [
    [
      'swarm of the wrong format',
      () => JSON.stringify({ type: 'signal', swarm: 'short', to: b.peerId, payload: 1 }),
      'bad-swarm',
      /"swarm" must be base64url/,
    ],
    [
      'swarm not a string',
      () => JSON.stringify({ type: 'signal', swarm: 42, to: b.peerId, payload: 1 }),
      'bad-message',
      /"swarm" must be string/,
    ],
    [
      'peer id one character short',
      () => JSON.stringify({ type: 'signal', swarm, to: b.peerId.slice(1), payload: 1 }),
      'bad-message',
      /"to" must be a server-assigned peer id/,
    ],
    [
      'peer id not a string',
      () => JSON.stringify({ type: 'signal', swarm, to: [b.peerId], payload: 1 }),
      'bad-message',
      /"to" must be string/,
    ],
    ['payload missing', () => JSON.stringify({ type: 'signal', swarm, to: b.peerId }), 'bad-message', /"payload"/],
    [
      'payload one level too deep',
      () => JSON.stringify({ type: 'signal', swarm, to: b.peerId, payload: nested(MAX_PAYLOAD_DEPTH + 1) }),
      'bad-message',
      /nested more than 8/,
    ],
    [
      'valid fields, then a duplicate bad payload',
      () =>
        `{"type":"signal","swarm":"${swarm}","to":"${b.peerId}","payload":1,"payload":${JSON.stringify(nested(9))}}`,
      'bad-message',
      /nested/,
    ],
    [
      'over the signal size cap',
      () => JSON.stringify({ type: 'signal', swarm, to: b.peerId, payload: 'x'.repeat(5000) }),
      'too-large',
      /at most 4096/,
    ],
    [
      'to itself',
      () => JSON.stringify({ type: 'signal', swarm, to: a.peerId, payload: 1 }),
      'unknown-peer',
      /not in swarm/,
    ],
    [
      'to a peer id nobody has',
      () => JSON.stringify({ type: 'signal', swarm, to: 'AAAAAAAAAAAAAAAA', payload: 1 }),
      'unknown-peer',
      /not in swarm/,
    ],
    [
      'in a swarm it never announced',
      () => JSON.stringify({ type: 'signal', swarm: swarmId(2), to: b.peerId, payload: 1 }),
      'not-in-swarm',
      /announce swarm/,
    ],
    [
      'truncated JSON',
      () => `{"type":"signal","swarm":"${swarm}","to":"${b.peerId}","payload":{`,
      'bad-json',
      /not valid JSON/,
    ],
  ];

  it.each(cases)('%s', async (_name, frame, code, words) => {
    const text = frame();
    const schema = decodeClientMessage(text);
    if (!schema.ok && code !== 'too-large') expect(schema.code).toBe(code); // the zod path's verdict, for the record
    a.send(text);
    const error = await a.next('error');
    expect(error).toMatchObject({ code });
    expect(error.message).toMatch(words);
    // nothing was relayed, and the sender is still served
    await roundTrip(b);
    expect(b.received.filter((m) => m.type === 'signal')).toEqual([]);
    a.send({ type: 'signal', swarm, to: b.peerId, payload: 'still here' });
    expect(await b.next('signal')).toEqual({ type: 'signal', swarm, from: a.peerId, payload: 'still here' });
  });

  it('a signal before hello is refused as not-hello', async () => {
    const c = new TestClient(tracker.wsUrl);
    await c.opened;
    c.send({ type: 'signal', swarm, to: b.peerId, payload: 1 });
    expect(await c.next('error')).toMatchObject({ code: 'not-hello', ref: 'signal' });
    c.ws.terminate();
  });
});

describe('what the fast path relays', () => {
  it('is exactly type, swarm, from (the real sender) and payload: spoofed or extra fields are dropped', async () => {
    const payload = { candidate: 'c"},"from":"evilevilevilevil', sdpMid: '0', deep: nested(MAX_PAYLOAD_DEPTH - 1) };
    a.send(
      `{"from":"${'e'.repeat(16)}","type":"signal","swarm":"${swarm}","to":"${b.peerId}","payload":${JSON.stringify(payload)},"extra":[1],"from":"${'f'.repeat(16)}"}`,
    );
    expect(await b.next('signal')).toEqual({ type: 'signal', swarm, from: a.peerId, payload });
  });

  it('keeps payloads of every JSON kind intact', async () => {
    for (const payload of [
      null,
      0,
      -1.5e300,
      '',
      'ünïcödé \u2028 😀',
      [],
      {},
      [1, 'a', { b: null }],
      { sdp: 'v=0\r\n', type: 'offer' },
    ]) {
      a.send({ type: 'signal', swarm, to: b.peerId, payload });
      expect(await b.next('signal')).toEqual({ type: 'signal', swarm, from: a.peerId, payload });
    }
  });
});

describe("text frames that are not valid UTF-8 (the server skips ws's UTF-8 check)", () => {
  const frame = (before: string, bad: number[], after: string) =>
    Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]);

  it('in a payload: relayed with U+FFFD in place of the bad bytes, as valid UTF-8, and the connection stays', async () => {
    const raw = new Promise<Buffer>((resolve) => b.ws.once('message', resolve));
    a.ws.send(frame(`{"type":"signal","swarm":"${swarm}","to":"${b.peerId}","payload":"x`, [0xff, 0xc3], `y"}`), {
      binary: false,
    });
    expect(await b.next('signal')).toEqual({ type: 'signal', swarm, from: a.peerId, payload: 'x\ufffd\ufffdy' });
    const bytes = await raw;
    expect(Buffer.from(bytes.toString()).equals(bytes)).toBe(true); // decodes and re-encodes to the same bytes: valid UTF-8
    a.send({ type: 'signal', swarm, to: b.peerId, payload: 'still here' });
    expect(await b.next('signal')).toEqual({ type: 'signal', swarm, from: a.peerId, payload: 'still here' });
  });

  it('in a peer id or outside JSON strings: refused like any other bad field or bad JSON', async () => {
    a.ws.send(frame(`{"type":"signal","swarm":"${swarm}","to":"${b.peerId.slice(1)}`, [0xe0], `","payload":1}`), {
      binary: false,
    });
    expect(await a.next('error')).toMatchObject({ code: 'bad-message', message: expect.stringMatching(/"to"/) });
    a.ws.send(frame('{"type":"hello"', [0x80], '}'), { binary: false });
    expect(await a.next('error')).toMatchObject({ code: 'bad-json' });
    await roundTrip(b);
    expect(b.received.filter((m) => m.type === 'signal')).toEqual([]);
  });
});
