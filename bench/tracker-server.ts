/**
 * Child process of `npm run bench:tracker` (not run on its own). argv[2] picks the server:
 * - `tracker`: the real tracker via startTracker, every limit on (per-IP and total connection
 *   limits raised to fit the bench's clients, which all come from 127.0.0.1);
 * - `bare`: the baseline, a bare `ws` server that holds sockets and, once a client registers,
 *   forwards `{to, payload}` as `{from, payload}`: no validation, no limits, no swarms.
 * It reports its port over IPC and answers `{cmd:'measure'}` with its RSS after a full GC and
 * its CPU time, so the figures are this process's own.
 */
import { writeFileSync } from 'node:fs';
import { Session as InspectorSession } from 'node:inspector';
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import type { startTracker as StartTracker } from '../signaling/tracker.ts';

type Command = { cmd: 'measure' } | { cmd: 'cpu' } | { cmd: 'loop' } | { cmd: 'exit' };

// Event-loop delay and GC time, reset by each `cpu` command: where a phase's latency goes.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
let gcMs = 0;
let gcMaxMs = 0;
let gcCount = 0;
/** Each GC of the phase as [epoch ms at start, ms, whether a mark-compact] (for BENCH_TIMELINE). */
let gcEvents: [number, number, boolean][] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (process.env.BENCH_TIMELINE)
      gcEvents.push([
        performance.timeOrigin + e.startTime,
        e.duration,
        (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ===
          perfConstants.NODE_PERFORMANCE_GC_MAJOR,
      ]);
    gcMs += e.duration;
    gcMaxMs = Math.max(gcMaxMs, e.duration);
    gcCount++;
  }
}).observe({ entryTypes: ['gc'] });
const send = (m: unknown) => process.send!(m);

/**
 * BENCH_HEAP_PROF=FILE: V8's sampling heap profile of the relay phases (from the idle measurement
 * to the end of the rate phase) written to FILE: by default only objects that outlived a scavenge
 * (promoted or still alive: what makes mark-compacts), with BENCH_HEAP_PROF_ALL=1 every
 * allocation. Summarise with `node scripts/heap-top.mjs FILE`.
 */
const heapProfile = process.env.BENCH_HEAP_PROF ? heapProfiler(process.env.BENCH_HEAP_PROF) : undefined;
function heapProfiler(file: string) {
  const session = new InspectorSession();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<any>((resolve, reject) =>
      session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))),
    );
  return {
    start: () =>
      post('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: !!process.env.BENCH_HEAP_PROF_ALL,
      }),
    stop: async () => writeFileSync(file, JSON.stringify((await post('HeapProfiler.stopSampling')).profile)),
  };
}
/** BENCH_REDIS_URL: the instance shares membership and relays through that Redis (--redis). */
function redisBackplane(url: string) {
  return async (localMembers: () => Iterable<readonly [string, string]>) => {
    const { RedisBackplane } = await import('../signaling/redis-backplane.ts');
    return RedisBackplane.start({ url, log: () => {}, localMembers });
  };
}

let measures = 0;
let loops = 0;
const gc = (globalThis as { gc?: () => void }).gc;

async function measure(): Promise<{ rss: number; heapUsed: number; arrayBuffers: number; cpuMs: number }> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  return {
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    arrayBuffers: mem.arrayBuffers,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

async function startBare(): Promise<number> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 64 * 1024 });
  const byId = new Map<number, WebSocket>();
  wss.on('connection', (ws) => {
    let id = -1;
    ws.on('error', () => {});
    ws.on('message', (data) => {
      const m = JSON.parse((data as Buffer).toString());
      if (id < 0) {
        id = m.reg;
        byId.set(id, ws);
        ws.send('{"ok":1}');
        return;
      }
      byId.get(m.to)?.send(JSON.stringify({ from: id, payload: m.payload }));
    });
  });
  await new Promise((r) => wss.once('listening', r));
  return (wss.address() as { port: number }).port;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const clients = Number(process.argv[3] ?? 5000);
  let port: number;
  if (mode === 'tracker') {
    // BENCH_TRACKER_MODULE: another checkout's signaling/tracker.ts, for an A/B of two versions.
    const module = process.env.BENCH_TRACKER_MODULE ?? '../signaling/tracker.ts';
    const { startTracker } = (await import(module)) as { startTracker: typeof StartTracker };
    const tracker = await startTracker({
      limits: {
        maxConnectionsPerIp: clients + 100,
        maxUnwelcomedPerIp: clients + 100,
        maxHttpSocketsPerIp: clients + 100,
        maxConnections: Math.max(20_000, clients + 100),
        ...JSON.parse(process.env.BENCH_TRACKER_LIMITS ?? '{}'), // for experiments, e.g. '{"pingIntervalMs":600000}'
      },
      log: () => {},
      ...(process.env.BENCH_REDIS_URL ? { backplane: redisBackplane(process.env.BENCH_REDIS_URL) } : {}),
    });
    port = tracker.port;
  } else if (mode === 'bare') {
    port = await startBare();
  } else throw new Error(`unknown mode ${mode}`);
  const onCommand = async (m: Command) => {
    if (m.cmd === 'measure') {
      send({ measured: await measure() });
      if (++measures === 2) await heapProfile?.start(); // after the idle measurement
    } else if (m.cmd === 'cpu') {
      send({ cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000 });
      loopDelay.reset();
      gcMs = gcMaxMs = gcCount = 0;
      gcEvents = [];
    } else if (m.cmd === 'loop') {
      if (++loops === 2) await heapProfile?.stop(); // after the rate phase
      send({
        loopP99Ms: loopDelay.percentile(99) / 1e6,
        loopMaxMs: loopDelay.max / 1e6,
        gcMs,
        gcMaxMs,
        gcCount,
        gcEvents,
      });
    } else process.exit(0);
  };
  process.on('message', (m: Command) => void onCommand(m));
  send({ port });
}

void main();
