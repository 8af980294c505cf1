/**
 * `npm run bench:attack [-- --honest 200 --attackers 200 --rate 1000 --duration-ms 2000 --rounds 7 --only dribble,fragments]`
 * Not a test: the tracker (its own process, bench/tracker-server.ts) under each resource attack
 * while honest clients keep relaying. Prints one JSON line per attack:
 * - rssGrowthPerConnBytes / heapGrowthPerConnBytes: the server's RSS / V8 heap (after a full GC)
 *   with the attack held, minus before it, divided by the attacking connections;
 * - honestP99Ms against baselineP99Ms: the honest clients' relay p99 at --rate signals/s during
 *   the attack and without it (same run, same clients). A noisy machine moves a single phase's
 *   p99 several-fold, so each attack runs --rounds rounds of one baseline phase and one attack
 *   phase of --duration-ms each, interleaved (odd rounds attack first, so a drift of the
 *   machine's load favours neither); each figure is the median of its phases' p99, p99Ratio the
 *   ratio of those medians (roundRatios: each round's own ratio, to see the spread);
 * - buffersGrowthPerConnBytes: the same for the Buffers' memory outside the V8 heap (what a held
 *   frame's bytes are; RSS hides them when the allocator reuses pages freed by earlier rounds);
 * - cpuRatio, duringAttack / withoutAttack: what the phases cost, medians over the rounds: the
 *   tracker's CPU ms, GC ms and event-loop delay p99, and this process's (the load generator's)
 *   GC ms. They say whether an attack costs the tracker work, which a p99 on a shared machine
 *   cannot: a p99 ratio with cpuRatio ~1 and no more GC is the machine, not the attack;
 * - honestLost: honest connections closed during the attacks; serverAlive: the process still up.
 * The attack is opened afresh for each attack phase (and the growth figures are the median over
 * the rounds), so no attack outlives the limits' own deadlines (10 s) while it is measured.
 * Each attack holds the most the limits let one connection hold: 1-byte fragments up to
 * maxFragments (each its own TCP segment), a frame dribbled one byte per segment up to
 * maxBufferedChunks, the largest frame allowed sent but for its last byte, half-sent HTTP requests,
 * and WebSockets that never say hello; plus a flood of 2,000 fragments per connection, which the
 * limit cuts (what stays is what the cut connections left behind). Attackers connect from other
 * loopback addresses (127.0.1.x, at most 8 each), the honest clients from 127.0.0.1.
 * Goals (docs/SECURITY.md): growth <= 64 KiB per attacking connection, p99 <= 2x, nothing lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { TRACKER_PROTOCOL_VERSION } from '../src/protocol/tracker.ts';
import { DEFAULT_LIMITS } from '../signaling/config.ts';
import { dribble, dribbleFrame, fragments, halfSentRequest, oneByteFragment, rawWebSocket } from './attack-clients.ts';
import { Load, openLoop, percentile } from './tracker-load.ts';
import { encodeFrame, type RawWebSocket } from './tracker-raw-socket.ts';

const { values } = parseArgs({
  options: {
    honest: { type: 'string', default: '200' },
    attackers: { type: 'string', default: '200' },
    rate: { type: 'string', default: '1000' },
    'duration-ms': { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '7' },
    only: { type: 'string', default: '' },
  },
});
const HONEST = Number(values.honest);
const ATTACKERS = Math.min(1000, Number(values.attackers)); // bounded: loopback only, a few hundred sockets
const RATE = Number(values.rate);
const DURATION_MS = Math.min(2500, Number(values['duration-ms']));
const ROUNDS = Math.max(1, Number(values.rounds));
const PER_ADDRESS = 8;
const root = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Server {
  child: ChildProcess;
  port: number;
  alive: boolean;
  measure(): Promise<{ rss: number; heapUsed: number; arrayBuffers: number }>;
  /** Asks the server something over IPC (bench/tracker-server.ts's commands) and waits for the answer. */
  ask(cmd: 'cpu' | 'loop'): Promise<any>;
}

async function spawnServer(): Promise<Server> {
  // BENCH_NODE_FLAGS: extra flags for the tracker's process, e.g. '--trace-gc'.
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...flags, '--expose-gc', '--import', 'tsx', 'bench/tracker-server.ts', 'tracker', String(HONEST)],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const server: Server = {
    child,
    port: 0,
    alive: true,
    measure: () =>
      new Promise((resolve) => {
        child.once('message', (m: any) => resolve(m.measured));
        child.send({ cmd: 'measure' });
      }),
    ask: (cmd) =>
      new Promise((resolve) => {
        child.once('message', resolve);
        child.send({ cmd });
      }),
  };
  child.once('exit', () => (server.alive = false));
  server.port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: any) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`tracker exited with ${code}`)));
  });
  return server;
}

const largest = encodeFrame('x'.repeat(DEFAULT_LIMITS.maxMessageBytes - 16));
const LARGEST_PARTIAL = largest.subarray(0, largest.length - 1);

/** The loopback address of the i-th attacking connection. */
const addressOf = (i: number) => `127.0.1.${1 + Math.floor(i / PER_ADDRESS)}`;

/** One attack: opens its connections and leaves them holding what they hold; returns a stopper. */
type Attack = (port: number) => Promise<{ held: () => number; stop: () => void }>;

async function helloed(port: number, i: number): Promise<{ ws: RawWebSocket; closed: Promise<number> }> {
  const c = await rawWebSocket(port, addressOf(i));
  c.ws.send(JSON.stringify({ type: 'hello', version: TRACKER_PROTOCOL_VERSION }));
  return c;
}

function webSocketAttack(send: (ws: RawWebSocket) => Promise<void>, hello = true): Attack {
  return async (port) => {
    const open: RawWebSocket[] = [];
    await Promise.all(
      Array.from({ length: ATTACKERS }, async (_, i) => {
        const c = hello ? await helloed(port, i) : await rawWebSocket(port, addressOf(i));
        open.push(c.ws);
        await sleep(50); // the welcome first: what follows is the attack proper
        await send(c.ws);
      }),
    );
    return { held: () => open.filter((ws) => !ws.closed).length, stop: () => open.forEach((ws) => ws.terminate()) };
  };
}

/** Writes `bytes` one TCP segment each (the server reads each as its own chunk). */
async function segments(socket: Socket, parts: Buffer[]): Promise<void> {
  for (const part of parts) {
    socket.write(part);
    await sleep(3);
  }
}

const ATTACKS: Record<string, Attack> = {
  // 15 one-byte fragments (maxFragments 16 would cut the 17th), each its own segment, never final.
  fragments: webSocketAttack((ws) =>
    segments(
      ws.socket,
      Array.from({ length: DEFAULT_LIMITS.maxFragments - 1 }, (_, k) => oneByteFragment(k === 0)),
    ),
  ),
  // 2,000 fragments in one burst: cut at the 17th (1008); measures what the cut leaves behind.
  'fragments-flood': webSocketAttack(async (ws) => ws.sendFrame(fragments(2000))),
  // A 60 KB frame dribbled one byte per segment, stopped just under maxBufferedChunks reads.
  dribble: webSocketAttack(async (ws) => {
    await dribble(ws.socket, dribbleFrame(60_000).subarray(0, DEFAULT_LIMITS.maxBufferedChunks - 2), 3);
  }),
  // The largest frame allowed, all but its last byte, in one write: what an honest big message holds.
  // One frame shared by every attacker: 200 copies would be ~26 MB of garbage in this process,
  // whose mark-compact would land in the honest clients' latencies, not the tracker's.
  'largest-partial': webSocketAttack(async (ws) => {
    ws.socket.write(LARGEST_PARTIAL);
  }),
  'half-sent-http': async (port) => {
    const sockets = await Promise.all(Array.from({ length: ATTACKERS }, (_, i) => halfSentRequest(port, addressOf(i))));
    return {
      held: () => sockets.filter((s) => !s.socket.destroyed).length,
      stop: () => sockets.forEach((s) => s.socket.destroy()),
    };
  },
  'silent-websockets': webSocketAttack(async () => {}, false),
};

const only = values.only ? values.only.split(',') : [];
const unknown = only.filter((name) => !(name in ATTACKS));
if (unknown.length > 0) {
  console.error(`--only: no attack named ${unknown.join(', ')} (attacks: ${Object.keys(ATTACKS).join(', ')})`);
  process.exit(2);
}

/** This process's own GC time (ms), summed: the load generator's pauses are in the latencies too. */
let generatorGcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) generatorGcMs += e.duration;
}).observe({ entryTypes: ['gc'] });

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round2 = (x: number) => +x.toFixed(2);

async function main(): Promise<void> {
  const server = await spawnServer();
  const load = new Load('tracker', `ws://127.0.0.1:${server.port}/tracker`, HONEST, 50, 'sleep');
  await load.join();
  await load.prepareRelay();
  /**
   * One honest phase: its relay p99, plus what the phase cost each side, which a busy machine
   * moves far less than a p99: the tracker's CPU and GC ms and its event-loop delay p99, and the
   * generator's GC ms.
   */
  const phase = async () => {
    const cpu0 = (await server.ask('cpu')).cpuMs as number;
    const gc0 = generatorGcMs;
    const p99 = percentile((await openLoop(load, RATE, DURATION_MS)).latencies, 99);
    const loop = await server.ask('loop');
    const cpuMs = ((await server.ask('cpu')).cpuMs as number) - cpu0;
    return { p99, cpuMs, gcMs: loop.gcMs as number, loopP99Ms: loop.loopP99Ms as number, genGcMs: generatorGcMs - gc0 };
  };
  type Phase = Awaited<ReturnType<typeof phase>>;
  await phase(); // warm-up
  const lost = () => [...load.errorCodes].filter(([k]) => k.startsWith('close-')).reduce((a, [, n]) => a + n, 0);

  for (const [name, attack] of Object.entries(ATTACKS)) {
    if (only.length > 0 && !only.includes(name)) continue;
    const lostAtStart = lost();
    const baselinePhases: Phase[] = [];
    const attackPhases: Phase[] = [];
    const rss: number[] = [];
    const heap: number[] = [];
    const buffers: number[] = [];
    let held = 0;
    const attackPhase = async () => {
      const before = await server.measure();
      const running = await attack(server.port);
      const measured = await server.measure();
      attackPhases.push(await phase());
      held = running.held();
      running.stop();
      await sleep(500); // the server lets go of the attack before the next phase
      rss.push((measured.rss - before.rss) / ATTACKERS);
      heap.push((measured.heapUsed - before.heapUsed) / ATTACKERS);
      buffers.push((measured.arrayBuffers - before.arrayBuffers) / ATTACKERS);
    };
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 1) await attackPhase();
      baselinePhases.push(await phase());
      if (r % 2 === 0) await attackPhase();
    }
    const baseline = baselinePhases.map((p) => p.p99);
    const during = attackPhases.map((p) => p.p99);
    const baselineP99Ms = median(baseline);
    const honestP99Ms = median(during);
    const medianOf = (phases: Phase[], key: keyof Phase) => round2(median(phases.map((p) => p[key])));
    const costs = (phases: Phase[]) => ({
      trackerCpuMs: medianOf(phases, 'cpuMs'),
      trackerGcMs: medianOf(phases, 'gcMs'),
      trackerLoopP99Ms: medianOf(phases, 'loopP99Ms'),
      generatorGcMs: medianOf(phases, 'genGcMs'),
    });
    console.log(
      JSON.stringify({
        attack: name,
        attackingConnections: ATTACKERS,
        stillOpenAtEnd: held,
        rssGrowthPerConnBytes: Math.round(median(rss)),
        heapGrowthPerConnBytes: Math.round(median(heap)),
        buffersGrowthPerConnBytes: Math.round(median(buffers)),
        honestP99Ms: round2(honestP99Ms),
        baselineP99Ms: round2(baselineP99Ms),
        p99Ratio: round2(honestP99Ms / baselineP99Ms),
        roundRatios: during.map((d, k) => round2(d / baseline[k]!)),
        cpuRatio: round2(median(attackPhases.map((p) => p.cpuMs)) / median(baselinePhases.map((p) => p.cpuMs))),
        duringAttack: costs(attackPhases),
        withoutAttack: costs(baselinePhases),
        honestLost: lost() - lostAtStart,
        serverAlive: server.alive,
        honest: HONEST,
        rate: RATE,
        rounds: ROUNDS,
      }),
    );
  }
  await load.close();
  server.child.send({ cmd: 'exit' });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
