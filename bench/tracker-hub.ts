/**
 * `npx tsx bench/tracker-hub.ts [--root DIR] [--frames 200000] [--rounds 8]`: the tracker's own
 * JavaScript per relayed signal, without sockets or `ws`. Not a test. 5,000 sessions in swarms
 * of 50 with fake sockets (a write only counts bytes), every limit at its default except the
 * token bucket (opened wide, or the loop would only measure refusals); then
 * `TrackerHub.handleFrame` on ~330-byte signal frames to random swarm neighbours (30 each, as
 * an announce gives): CPU time per frame, best and median of the rounds. Then the heap: full-GC
 * heap growth after each round of relays, and per signal contact remembered once the contact
 * sets stop growing (what the relay phases of `npm run bench:tracker` retain).
 * `--root` points at another checkout (e.g. /work/main) for an A/B of two versions; run it
 * pinned and under the bench lock: `flock /tmp/swarmdrop-bench.lock taskset -c 1 npx tsx --expose-gc bench/tracker-hub.ts`.
 * Prints one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TrackerHub as Hub } from '../signaling/hub.ts';
import type { Session as SessionClass } from '../signaling/session.ts';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: resolve(import.meta.dirname, '..') },
    frames: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '8' },
  },
});
const root = resolve(values.root);
const FRAMES = Number(values.frames);
const ROUNDS = Number(values.rounds);
const CLIENTS = 5000;
const SWARM = 50;
const NEIGHBOURS = 30;

const { TrackerHub } = (await import(`${root}/signaling/hub.ts`)) as { TrackerHub: typeof Hub };
const { Session } = (await import(`${root}/signaling/session.ts`)) as { Session: typeof SessionClass };
const { MemorySwarmRegistry } = await import(`${root}/signaling/registry.ts`);
const { DEFAULT_LIMITS } = await import(`${root}/signaling/config.ts`);

const gc = (globalThis as { gc?: () => void }).gc;
const heapUsed = (): number => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};

const hub = new TrackerHub(
  new MemorySwarmRegistry(),
  { ...DEFAULT_LIMITS, messagesPerSec: 1e12, messageBurst: 1e12 },
  () => {},
);
let bytesOut = 0;
const socket = { write: (b: Buffer) => ((bytesOut += b.length), true) };
const swarms = Array.from({ length: CLIENTS / SWARM }, () => randomBytes(32).toString('base64url'));
const sessions: SessionClass[] = [];
for (let i = 0; i < CLIENTS; i++) {
  const ws = { bufferedAmount: 0, readyState: 1, send() {}, close() {}, terminate() {} };
  const s = new Session(
    ws as never,
    randomBytes(12).toString('base64url'),
    '127.0.0.1',
    hub.bucket.fresh(),
    socket as never,
  );
  hub.add(s);
  sessions.push(s);
  hub.handleFrame(s, Buffer.from('{"type":"hello","version":1}'), false);
  hub.handleFrame(s, Buffer.from(JSON.stringify({ type: 'announce', swarm: swarms[Math.floor(i / SWARM)] })), false);
}
const neighbours = sessions.map((_, i) => {
  const base = Math.floor(i / SWARM) * SWARM;
  const others = Array.from({ length: SWARM }, (_, k) => base + k).filter((k) => k !== i);
  return others.sort(() => Math.random() - 0.5).slice(0, NEIGHBOURS);
});
const CANDIDATE =
  'candidate:842163049 1 udp 1677729535 192.0.2.44 53204 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sXyZ network-cost 999';
const senders: SessionClass[] = [];
const frames: Buffer[] = [];
for (let k = 0; k < FRAMES; k++) {
  const i = Math.floor(Math.random() * CLIENTS);
  const to = sessions[neighbours[i]![Math.floor(Math.random() * NEIGHBOURS)]!]!.peerId;
  senders.push(sessions[i]!);
  frames.push(
    Buffer.from(
      `{"type":"signal","swarm":"${swarms[Math.floor(i / SWARM)]}","to":"${to}","payload":{"seq":${k},"candidate":"${CANDIDATE}"}}`,
    ),
  );
}

const idleHeap = heapUsed();
const usPerFrame: number[] = [];
const heapGrowthMB: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const t0 = process.cpuUsage();
  for (let k = 0; k < FRAMES; k++) hub.handleFrame(senders[k]!, frames[k]!, false);
  const t = process.cpuUsage(t0);
  usPerFrame.push((t.user + t.system) / FRAMES);
  heapGrowthMB.push(Math.round((heapUsed() - idleHeap) / 1e4) / 100);
}
if (bytesOut === 0) throw new Error('nothing was relayed');
const sorted = [...usPerFrame].sort((a, b) => a - b);
const contacts = hub.contactCount();
const round2 = (x: number) => Math.round(x * 100) / 100;
console.log(
  JSON.stringify({
    bench: 'tracker-hub',
    root,
    frames: FRAMES,
    rounds: ROUNDS,
    usPerFrameBest: round2(sorted[0]!),
    usPerFrameMedian: round2(sorted[Math.floor(ROUNDS / 2)]!),
    heapGrowthMBPerRound: heapGrowthMB,
    contacts,
    heapBytesPerContact: gc ? Math.round((heapGrowthMB[ROUNDS - 1]! * 1e6) / contacts) : null,
  }),
);
