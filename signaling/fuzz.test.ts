/**
 * Seeded fuzzing of the frame pipeline against a real server: mutated versions of valid messages
 * (wrong types, missing fields, odd values, truncation, junk). Properties: the server never crashes
 * or closes the fuzzing connection, every reply is a well-formed server message, every refusal
 * names a known error code, and another client is served throughout. A failing seed printed by
 * this test becomes a regression case.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeServerMessage } from '../src/protocol/tracker-schema.ts';
import { startTracker, type Tracker } from './tracker.ts';
import { swarmId, TestClient } from './testing/test-client.ts';
import { createSeededRandom } from '../src/engine/index.ts';

let tracker: Tracker;
beforeAll(async () => {
  tracker = await startTracker({ limits: { messagesPerSec: 100_000, messageBurst: 100_000 }, log: () => {} });
});
afterAll(() => tracker.close());

const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  '',
  'x'.repeat(300),
  [],
  {},
  [1, [2]],
  { a: { b: 1 } },
  '__proto__',
  'hello',
];
const KNOWN_CODES = new Set([
  'bad-json',
  'bad-message',
  'unknown-type',
  'bad-version',
  'not-hello',
  'bad-swarm',
  'not-in-swarm',
  'unknown-peer',
  'too-large',
  'too-many-swarms',
]);

function mutate(random: () => number, valid: Record<string, unknown>[]): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const m: Record<string, unknown> = { ...pick(valid) };
  const keys = ['type', 'swarm', 'to', 'payload', 'want', 'version', 'from', 'peerId'];
  for (let i = 0, n = 1 + Math.floor(random() * 3); i < n; i++) {
    const r = random();
    if (r < 0.4) m[pick(keys)] = pick(ODD_VALUES);
    else if (r < 0.6) delete m[pick(keys)];
    else if (r < 0.7)
      m.type = pick(['hello', 'announce', 'signal', 'leave', 'welcome', 'peers', 'error', 'toString', 'constructor']);
  }
  const text = JSON.stringify(m);
  const r = random();
  if (r < 0.1) return text.slice(0, Math.floor(random() * text.length)); // truncated
  if (r < 0.15) return JSON.stringify(pick(ODD_VALUES)); // not an object
  return text;
}

it.each([1, 2, 3])('seed %i: 400 mutated frames, no crash, only well-formed replies', async (seed) => {
  const random = createSeededRandom(seed);
  const [fuzzer, other] = [await TestClient.connect(tracker.wsUrl), await TestClient.connect(tracker.wsUrl)];
  await fuzzer.announce(swarmId(1));
  await other.announce(swarmId(1));
  const valid = [
    { type: 'hello', version: 1 },
    { type: 'announce', swarm: swarmId(1), want: 3 },
    { type: 'announce', swarm: swarmId(2) },
    { type: 'signal', swarm: swarmId(1), to: other.peerId, payload: { sdp: 'v=0' } },
    { type: 'leave', swarm: swarmId(2) },
  ];
  for (let i = 0; i < 400; i++) fuzzer.send(mutate(random, valid));
  fuzzer.send({ type: 'barrier' }); // answered after every frame before it
  await expect.poll(() => fuzzer.received.some((m) => m.ref === 'barrier')).toBe(true);
  for (const reply of fuzzer.received) {
    const decoded = decodeServerMessage(JSON.stringify(reply));
    expect(decoded.ok, `seed ${seed}: malformed reply ${JSON.stringify(reply)}`).toBe(true);
    if (reply.type === 'error' && reply.ref !== 'barrier')
      expect(KNOWN_CODES, `seed ${seed}: ${JSON.stringify(reply)}`).toContain(reply.code);
  }
  // the mutations reach many paths: several kinds of refusals and some accepted messages
  expect(new Set(fuzzer.received.map((m) => m.code ?? m.type)).size, `seed ${seed}`).toBeGreaterThanOrEqual(5);
  expect(fuzzer.ws.readyState).toBe(fuzzer.ws.OPEN);
  for (const m of other.received) expect(decodeServerMessage(JSON.stringify(m)).ok).toBe(true);
  other.received.length = 0;
  // the other client is still served: announce, relay, and no trace of the fuzzer's swarm 2 if it left
  expect(await other.announce(swarmId(1))).toContain(fuzzer.peerId);
  fuzzer.send({ type: 'signal', swarm: swarmId(1), to: other.peerId, payload: 'after' });
  expect((await other.next('signal')).from).toBe(fuzzer.peerId);
  await Promise.all([fuzzer.close(), other.close()]);
  await expect.poll(() => tracker.stats()).toMatchObject({ clients: 0, swarms: 0, contacts: 0 });
});
