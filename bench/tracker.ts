/**
 * `npm run bench:tracker [-- --clients 5000 --swarm-size 50 --runs 3 --duration-ms 5000 --rate 20000]`
 * Not a test: prints ONE JSON line of medians over the runs. Each run measures, each server in its
 * own child process (bench/tracker-server.ts):
 * - the baseline: a bare `ws` server holding N idle sockets (memory), then relaying without any
 *   validation or limits (throughput, latency);
 * - the tracker with every limit on (per-IP and total connection limits raised to N+100, because
 *   every bench client comes from 127.0.0.1): N clients in swarms of 50, all announced and idle
 *   (memory), then relaying ~250-byte signals between neighbors: closed loop with a window of
 *   open loop at --light-rate (p50/p99 when nothing is queued), then closed loop with a window of
 *   in-flight signals (max relays/s), then open loop at --rate signals/s (p50/p99 at that load;
 *   signals still undelivered 20 s after the phase count as infinitely late: null in the JSON).
 * The clients run in this process and share the machine's 2 cores with the server (and with
 * anything else running), so besides wall-clock relays/s it reports the server's CPU time per
 * relay and what that means for one full core (relaysPerCoreSec = 1e6 / serverCpuUsPerRelay).
 */
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  closedLoop,
  Load,
  openLoop,
  percentile,
  TIMELINE_STEP_MS,
  type Dialect,
  type GeneratorWait,
  type TimelineStep,
} from './tracker-load.ts';
import { Probe, type ProbeFigures } from './tracker-probe.ts';
import { spawnTrackerServer, type BenchServer } from './tracker-spawn.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '5000' },
    'swarm-size': { type: 'string', default: '50' },
    runs: { type: 'string', default: '3' },
    'duration-ms': { type: 'string', default: '5000' },
    rate: { type: 'string', default: '20000' },
    window: { type: 'string', default: '1000' },
    'light-rate': { type: 'string', default: '2000' },
    pin: { type: 'string', default: 'auto' },
    servers: { type: 'string', default: 'bare,tracker' }, // e.g. `tracker` alone, for A/B runs of two tracker versions
    priority: { type: 'string', default: 'auto' },
    generator: { type: 'string', default: 'spin' }, // or `sleep` (see GeneratorWait in tracker-load.ts)
    redis: { type: 'boolean', default: false }, // several instances over Redis: bench/tracker-cluster.ts
    instances: { type: 'string', default: '3' },
    'idle-per-instance': { type: 'string', default: '19500' },
  },
});
if (values.redis) {
  const { clusterBench } = await import('./tracker-cluster.ts');
  await clusterBench({
    instances: Number(values.instances),
    idlePerInstance: Number(values['idle-per-instance']),
    clients: Number(values.clients),
    swarmSize: Number(values['swarm-size']),
    rate: process.argv.includes('--rate') ? Number(values.rate) : 5000,
    window: Number(values.window),
    durationMs: Number(values['duration-ms']),
    runs: Number(values.runs),
    generator: process.argv.includes('--generator') ? (values.generator as GeneratorWait) : 'sleep',
  });
  process.exit(0);
}
const N = Number(values.clients);
const swarmSize = Number(values['swarm-size']);
const runs = Number(values.runs);
const durationMs = Number(values['duration-ms']);
const rate = Number(values.rate);
const window = Number(values.window);
const lightRate = Number(values['light-rate']);
const servers = values.servers.split(',');
if (values.generator !== 'spin' && values.generator !== 'sleep')
  throw new Error(`--generator spin|sleep, not ${values.generator}`);
const generatorWait: GeneratorWait = values.generator;

/**
 * Server on the last CPU, this load generator on the others (`taskset`), so the generator cannot
 * take the server's core: `--pin auto` (default: when taskset exists and there are 2+ CPUs) or `off`.
 */
function pinCpus(): { server: string; generator: string } | undefined {
  if (values.pin === 'off') return undefined;
  const cpus = availableParallelism();
  if (cpus < 2) return undefined;
  try {
    execSync('command -v taskset', { shell: '/bin/sh', stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const pins = { server: String(cpus - 1), generator: cpus === 2 ? '0' : `0-${cpus - 2}` };
  try {
    execSync(`taskset -a -p -c ${pins.generator} ${process.pid}`, { stdio: 'ignore' }); // every thread of this process
  } catch {
    return undefined; // e.g. a container's CPU set without those CPUs: run unpinned
  }
  return pins;
}
const pins = pinCpus();

/**
 * `--priority auto` (default): nice -20 for this process's autogroup (the bench and its server
 * children), restored on exit. Why: with the kernel's autogroup scheduling (Linux,
 * /proc/sys/kernel/sched_autogroup_enabled) every session is one group with equal weight, so
 * another session's `chrt -i 0` (SCHED_IDLE) job still takes half of a CPU the server needs:
 * SCHED_IDLE only ranks it inside its own session. Measured: such a job took 25-45 % of the
 * server's CPU while the server had megabytes of unread input. Needs root (CAP_SYS_NICE);
 * without it the bench runs as is and says so (`autogroupNice: null`).
 */
function raisePriority(): number | null {
  if (values.priority === 'off') return null;
  try {
    const before = /nice (-?\d+)/.exec(readFileSync('/proc/self/autogroup', 'utf8'))?.[1] ?? '0';
    writeFileSync('/proc/self/autogroup', '-20');
    process.on('exit', () => writeFileSync('/proc/self/autogroup', before));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130)); // restore on Ctrl-C too
    return -20;
  } catch {
    return null;
  }
}
const autogroupNice = raisePriority();
/** This process's own event-loop delay: a stalled generator reads as latency it did not measure. */
const generatorLoop = monitorEventLoopDelay({ resolution: 5 });
generatorLoop.enable();

function checkFds(): void {
  const limit = Number(execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim());
  if (Number.isFinite(limit) && limit < N + 200) {
    console.error(
      `ulimit -n is ${limit}: ${N} clients need about ${N + 200} file descriptors in each process. Run \`ulimit -n ${2 * N + 1000}\` first.`,
    );
    process.exit(2);
  }
}

/** V8 flags for both servers (BENCH_NODE_FLAGS, e.g. '--max-semi-space-size=32'), so both run on the same settings. */
const serverNodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

function spawnServer(mode: Dialect): Promise<BenchServer> {
  const nodeFlags = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  nodeFlags.push(...serverNodeFlags);
  return spawnTrackerServer(mode, N, { nodeFlags, ...(pins ? { cpus: pins.server } : {}) });
}

interface LoopFigures {
  loopP99Ms: number;
  loopMaxMs: number;
  gcMs: number;
  gcMaxMs: number;
  gcCount: number;
  gcEvents: [number, number, boolean][];
}

interface RunFigures {
  rssBytesPerClient: number;
  heapBytesPerClient: number;
  relaysPerSec: number;
  serverCpuPct: number;
  serverCpuUsPerRelay: number;
  clientCpuPct: number;
  achievedRate: number;
  p50: number;
  p99: number;
  lightP50: number;
  lightP99: number;
  lightLoopMaxMs: number;
  lightGcMs: number;
  rateLoopMaxMs: number;
  rateGcMs: number;
  rateGcMaxMs: number;
  rateGcCount: number;
  rateGeneratorLoopMaxMs: number;
  /** rate phase, from /proc (null where there is none): steal on the server's CPU and on the others */
  rateServerCpuStealPct: number | null;
  rateOtherCpuStealPct: number | null;
  rateStealMaxStepPct: number | null;
  rateServerCpuPct: number | null;
  /** the server CPU's busy share not the server's own: other processes (and this bench's own
   * threads, if unpinned) */
  rateServerCpuOthersPct: number | null;
  rateServerInvoluntarySwitches: number | null;
  /** 100 ms steps (by send time) whose p99 is over 20 ms, and all steps */
  rateSlowSteps: number;
  rateSteps: number;
  errors: number;
}

/** BENCH_TIMELINE=1: the rate phase step by step on stderr (latency beside the /proc counters);
 * BENCH_TIMELINE=queues also reads the socket queues every other step (each read of /proc/net/tcp
 * with 10,000 sockets stalls the generator for ~20 ms: the steps after it read late). */
function printTimeline(
  mode: Dialect,
  steps: TimelineStep[],
  probe: ProbeFigures | null,
  gcs: [number, number, boolean][],
  startedEpochMs: number,
): void {
  console.error(
    `${mode} rate phase, by send time: t(ms) count p50 p99 max | server CPU %, generator CPU %, steal / idle / softirq % per CPU, everything else on the server's CPU %, server involuntary switches, KB unread by server / by generator (probe step ending nearest) | the server's GC pauses starting in the step, ms (M: mark-compact)`,
  );
  const samples = probe?.samples ?? [];
  for (const step of steps) {
    const end = step.t + TIMELINE_STEP_MS;
    let i = samples.findIndex((s) => s.t >= end);
    if (i < 1) i = samples.length - 1;
    const a = samples[i - 1];
    const b = samples[i];
    let machine = '';
    if (a && b) {
      const dt = b.t - a.t;
      const steal = b.cpus.map((c, k) => {
        const total = c.total - a.cpus[k]!.total;
        return total > 0 ? Math.round(((c.steal - a.cpus[k]!.steal) / total) * 100) : 0;
      });
      const pct = (ticks: number) => Math.round((ticks * 1000) / dt);
      const share = (key: 'idle' | 'softirq') =>
        b.cpus.map((c, k) => {
          const total = c.total - a.cpus[k]!.total;
          return total > 0 ? Math.round(((c[key] - a.cpus[k]![key]) / total) * 100) : 0;
        });
      const idle = share('idle');
      const softirq = share('softirq');
      const sc = pins ? Number(pins.server) : 0;
      const others = 100 - idle[sc]! - softirq[sc]! - steal[sc]! - pct(b.serverTicks - a.serverTicks);
      const q = b.queues ?? a.queues;
      const queues = q ? ` ${Math.round(q.serverUnread / 1024)} / ${Math.round(q.generatorUnread / 1024)}` : '';
      machine = ` | ${pct(b.serverTicks - a.serverTicks)} ${pct(b.generatorTicks - a.generatorTicks)} ${steal.join(' ')} / ${idle.join(' ')} / ${softirq.join(' ')} ${others} ${b.involuntary - a.involuntary}${queues}`;
    }
    const pauses = gcs
      .filter(([at]) => at - startedEpochMs >= step.t && at - startedEpochMs < end)
      .map(([, ms, major]) => `${ms.toFixed(1)}${major ? 'M' : ''}`);
    console.error(
      `  ${step.t} ${step.count} ${step.p50.toFixed(1)} ${step.p99.toFixed(1)} ${step.max.toFixed(1)}${machine} | ${pauses.join(' ')}`,
    );
  }
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function measureOne(mode: Dialect): Promise<RunFigures> {
  const server = await spawnServer(mode);
  const url = mode === 'tracker' ? `ws://127.0.0.1:${server.port}/tracker` : `ws://127.0.0.1:${server.port}`;
  try {
    const warm = new Load(mode, url, 100, swarmSize, generatorWait); // load the code paths before the memory baseline
    await warm.join();
    await warm.prepareRelay();
    await closedLoop(warm, 50, 300);
    await warm.close();
    const before = await server.ask<{ measured: { rss: number; heapUsed: number } }>('measure');
    const load = new Load(mode, url, N, swarmSize, generatorWait);
    await load.join();
    const idle = await server.ask<{ measured: { rss: number; heapUsed: number } }>('measure');
    await load.prepareRelay();

    // Light load first, on a quiet network: what one relay costs when nothing is queued.
    await server.ask('cpu'); // resets the server's event-loop delay and GC counters
    const light = await openLoop(load, lightRate, durationMs);
    const lightLoop = await server.ask<LoopFigures>('loop');
    const cpu0 = await server.ask<{ cpuMs: number }>('cpu');
    const clientCpu0 = process.cpuUsage();
    const received0 = load.received;
    const closedT0 = performance.now();
    const closed = await closedLoop(load, window, durationMs);
    const closedMs = performance.now() - closedT0;
    const closedReceived = load.received - received0; // the closed loop's relays, drained window included
    const clientCpu = process.cpuUsage(clientCpu0);
    const cpu1 = await server.ask<{ cpuMs: number }>('cpu'); // also resets the loop and GC figures
    generatorLoop.reset();
    const probe = new Probe(
      server.child.pid!,
      100,
      process.env.BENCH_TIMELINE === 'queues' ? { port: server.port, every: 2 } : undefined,
    );
    probe.start();
    const open = await openLoop(load, rate, durationMs);
    const machine = probe.stop(); // includes the drain: late signals are part of the phase
    const generatorLoopMaxMs = generatorLoop.max / 1e6;
    const steps = open.timeline ?? [];
    const serverCpu = pins ? Number(pins.server) : -1;
    const openLoopFigures = await server.ask<LoopFigures>('loop');
    if (process.env.BENCH_TIMELINE) printTimeline(mode, steps, machine, openLoopFigures.gcEvents, open.startedEpochMs);
    const lat = open.latencies;
    await load.close();
    return {
      rssBytesPerClient: (idle.measured.rss - before.measured.rss) / N,
      heapBytesPerClient: (idle.measured.heapUsed - before.measured.heapUsed) / N,
      relaysPerSec: closed.relays / closed.seconds,
      serverCpuPct: ((cpu1.cpuMs - cpu0.cpuMs) / closedMs) * 100,
      // CPU time the server spent per relay
      serverCpuUsPerRelay: ((cpu1.cpuMs - cpu0.cpuMs) * 1000) / closedReceived,
      clientCpuPct: ((clientCpu.user + clientCpu.system) / 1000 / closedMs) * 100,
      achievedRate: open.relays / open.seconds,
      p50: percentile(lat, 50),
      p99: percentile(lat, 99),
      lightP50: percentile(light.latencies, 50),
      lightP99: percentile(light.latencies, 99),
      lightLoopMaxMs: lightLoop.loopMaxMs,
      lightGcMs: lightLoop.gcMs,
      rateLoopMaxMs: openLoopFigures.loopMaxMs,
      rateGcMs: openLoopFigures.gcMs,
      rateGcMaxMs: openLoopFigures.gcMaxMs,
      rateGcCount: openLoopFigures.gcCount,
      rateGeneratorLoopMaxMs: generatorLoopMaxMs,
      rateServerCpuStealPct: machine && serverCpu >= 0 ? machine.stealPct[serverCpu]! : null,
      rateOtherCpuStealPct:
        machine && serverCpu >= 0
          ? Math.max(0, ...machine.stealPct.filter((_, k) => k !== serverCpu))
          : machine
            ? Math.max(...machine.stealPct)
            : null,
      rateStealMaxStepPct: machine?.stealMaxStepPct ?? null,
      rateServerCpuPct: machine?.serverCpuPct ?? null,
      rateServerCpuOthersPct:
        machine && serverCpu >= 0 ? Math.max(0, machine.busyPct[serverCpu]! - machine.serverCpuPct) : null,
      rateServerInvoluntarySwitches: machine?.serverInvoluntarySwitches ?? null,
      rateSlowSteps: steps.filter((s) => s.p99 > 20).length,
      rateSteps: steps.length,
      errors: load.errors + warm.errors,
    };
  } finally {
    if (process.env.BENCH_CPU_PROF) {
      server.child.send({ cmd: 'exit' }); // a clean exit writes the profile
      await new Promise((r) => server.child.once('exit', r));
    }
    server.child.kill('SIGKILL');
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function main(): Promise<void> {
  checkFds();
  const load0 = loadavg()[0]!; // the machine is shared: say how busy it was
  const bare: RunFigures[] = [];
  const tracker: RunFigures[] = [];
  for (let run = 0; run < runs; run++) {
    if (servers.includes('bare')) bare.push(await measureOne('bare'));
    if (servers.includes('tracker')) tracker.push(await measureOne('tracker'));
    console.error(
      `run ${run + 1}/${runs}: bare ${JSON.stringify(bare.at(-1))}\n           tracker ${JSON.stringify(tracker.at(-1))}`,
    );
  }
  const m = (xs: RunFigures[], k: keyof RunFigures) => median(xs.map((x) => x[k] ?? NaN));
  const mOrNull = (xs: RunFigures[], k: keyof RunFigures) =>
    xs.some((x) => x[k] === null) ? null : round(m(xs, k), 1);
  console.log(
    JSON.stringify({
      bench: 'tracker',
      clients: N,
      swarmSize,
      runs,
      pinned: pins !== undefined,
      ...(pins ? { serverCpus: pins.server, generatorCpus: pins.generator } : {}),
      autogroupNice,
      serverNodeFlags: serverNodeFlags.join(' '),
      generatorWait,
      limits: `all on; per-address limits raised to ${N + 100} (all clients are on 127.0.0.1)`,
      rssBytesPerClient: Math.round(m(tracker, 'rssBytesPerClient')),
      baselineRssBytesPerClient: Math.round(m(bare, 'rssBytesPerClient')),
      rssRatio: round(m(tracker, 'rssBytesPerClient') / m(bare, 'rssBytesPerClient')),
      heapBytesPerClient: Math.round(m(tracker, 'heapBytesPerClient')),
      baselineHeapBytesPerClient: Math.round(m(bare, 'heapBytesPerClient')),
      relaysPerSec: Math.round(m(tracker, 'relaysPerSec')),
      baselineRelaysPerSec: Math.round(m(bare, 'relaysPerSec')),
      relayRatio: round(m(tracker, 'relaysPerSec') / m(bare, 'relaysPerSec')),
      serverCpuPctAtMax: Math.round(m(tracker, 'serverCpuPct')),
      serverCpuUsPerRelay: round(m(tracker, 'serverCpuUsPerRelay')),
      relaysPerCoreSec: Math.round(1e6 / m(tracker, 'serverCpuUsPerRelay')),
      baselineServerCpuUsPerRelay: round(m(bare, 'serverCpuUsPerRelay')),
      baselineRelaysPerCoreSec: Math.round(1e6 / m(bare, 'serverCpuUsPerRelay')),
      clientCpuPctAtMax: Math.round(m(tracker, 'clientCpuPct')),
      offeredRate: rate,
      achievedRate: Math.round(m(tracker, 'achievedRate')),
      relayP50Ms: round(m(tracker, 'p50')),
      relayP99Ms: round(m(tracker, 'p99')),
      baselineRelayP50Ms: round(m(bare, 'p50')),
      baselineRelayP99Ms: round(m(bare, 'p99')),
      relayP99Ratio: round(m(tracker, 'p99') / m(bare, 'p99')), // tracker / bare, same generator, same run
      lightRate,
      lightRelayP50Ms: round(m(tracker, 'lightP50')),
      lightRelayP99Ms: round(m(tracker, 'lightP99')),
      baselineLightRelayP99Ms: round(m(bare, 'lightP99')),
      lightServerLoopMaxMs: round(m(tracker, 'lightLoopMaxMs')),
      lightServerGcMs: round(m(tracker, 'lightGcMs')),
      baselineLightServerLoopMaxMs: round(m(bare, 'lightLoopMaxMs')),
      rateServerLoopMaxMs: round(m(tracker, 'rateLoopMaxMs')),
      rateServerGcMs: round(m(tracker, 'rateGcMs')),
      rateServerGcMaxMs: round(m(tracker, 'rateGcMaxMs')),
      rateServerGcCount: m(tracker, 'rateGcCount'),
      baselineRateServerLoopMaxMs: round(m(bare, 'rateLoopMaxMs')),
      baselineRateServerGcMs: round(m(bare, 'rateGcMs')),
      rateGeneratorLoopMaxMs: round(m(tracker, 'rateGeneratorLoopMaxMs')),
      // the rate phase from /proc: steal time of the VM's CPUs (server's and the generator's), the
      // server's CPU use and involuntary context switches; slow steps = 100 ms steps with p99 > 20 ms
      rateServerCpuStealPct: mOrNull(tracker, 'rateServerCpuStealPct'),
      rateOtherCpuStealPct: mOrNull(tracker, 'rateOtherCpuStealPct'),
      rateStealMaxStepPct: mOrNull(tracker, 'rateStealMaxStepPct'),
      rateServerCpuPct: mOrNull(tracker, 'rateServerCpuPct'),
      rateServerCpuOthersPct: mOrNull(tracker, 'rateServerCpuOthersPct'),
      rateServerInvoluntarySwitches: mOrNull(tracker, 'rateServerInvoluntarySwitches'),
      rateSlowSteps: m(tracker, 'rateSlowSteps'),
      rateSteps: m(tracker, 'rateSteps'),
      baselineRateServerCpuStealPct: mOrNull(bare, 'rateServerCpuStealPct'),
      baselineRateStealMaxStepPct: mOrNull(bare, 'rateStealMaxStepPct'),
      baselineRateServerCpuPct: mOrNull(bare, 'rateServerCpuPct'),
      baselineRateServerCpuOthersPct: mOrNull(bare, 'rateServerCpuOthersPct'),
      baselineRateSlowSteps: m(bare, 'rateSlowSteps'),
      loadAvg: [round(load0, 1), round(loadavg()[0]!, 1)],
      errors: tracker.reduce((n, r) => n + r.errors, 0),
    }),
  );
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
