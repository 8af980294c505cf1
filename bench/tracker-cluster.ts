/**
 * `npm run bench:tracker -- --redis [--instances 3 --idle-per-instance 19500 --clients 5000 --rate 5000]`
 * Several tracker instances over one real redis-server on loopback, against one in-memory instance
 * in the same run. Prints ONE JSON line of medians over the runs:
 * - idle memory: `--idle-per-instance` announced clients on each instance (held by generator child
 *   processes: each process may hold only `ulimit -n` sockets), RSS per client per instance and
 *   Redis memory per peer;
 * - relays that cross instances: `--clients` clients in swarms of 50 spread over the instances,
 *   each signalling only neighbors on other instances: p50/p99 at `--rate` signals/s (open loop)
 *   and relays/s (closed loop); the single instance relays between the same number of clients.
 * Nothing is pinned: instances, Redis and this generator share the machine's cores. The generator
 * sleeps between sends by default (`--generator spin` to spin): a spinning generator keeps one of
 * two cores for itself, leaving one for three instances and Redis.
 * Where a relay's time goes, per open-loop phase: the CPU each side used per second (instances
 * summed, Redis, this generator; two cores give 2,000 ms/s in all), the instances' worst
 * event-loop delay p99 and GC, and this generator's own event-loop delay p99.
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { startRedisServer } from '../signaling/testing/redis-server.ts';
import { TAG_LENGTH } from '../signaling/redis-keys.ts';
import { closedLoop, Load, openLoop, percentile, spreadSources, type GeneratorWait } from './tracker-load.ts';
import { spawnTrackerServer, type BenchServer } from './tracker-spawn.ts';

export interface ClusterOptions {
  instances: number;
  idlePerInstance: number;
  clients: number;
  swarmSize: number;
  rate: number;
  window: number;
  durationMs: number;
  runs: number;
  generator: GeneratorWait;
}

interface Figures {
  rssBytesPerClient: number;
  redisBytesPerPeer: number | null;
  idlePeers: number;
  p50: number;
  p99: number;
  achievedRate: number;
  relaysPerSec: number;
  errors: number;
  /** CPU ms per second of the open-loop phase: instances summed, Redis, this generator. */
  instancesCpuMsPerSec: number;
  redisCpuMsPerSec: number | null;
  generatorCpuMsPerSec: number;
  instanceLoopP99Ms: number;
  instanceGcMs: number;
  generatorLoopP99Ms: number;
}

/** redis-server's own CPU ms so far (INFO cpu). */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

type Loop = { loopP99Ms: number; gcMs: number };

type Measured = { measured: { rss: number } };

/** Holds `count` idle clients in a child process (its own descriptor limit). */
async function holdIdle(urls: string[], count: number, swarmSize: number, firstSwarm: number) {
  const child = fork(
    new URL('./tracker-idle-clients.ts', import.meta.url),
    [urls.join(','), String(count), String(swarmSize), String(firstSwarm)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const joined = await new Promise<{ joined: number; errors: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { joined: number; errors: number }));
    child.once('exit', (code) => reject(new Error(`idle generator exited with ${code}`)));
  });
  return { ...joined, stop: () => child.kill('SIGKILL') };
}

async function redisUsedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

async function measureSetup(
  o: ClusterOptions,
  redisUrl: string | undefined,
  admin: Redis | undefined,
): Promise<Figures> {
  const count = redisUrl ? o.instances : 1;
  const capacity = o.idlePerInstance + o.clients + 200;
  const env: Record<string, string> = redisUrl ? { BENCH_REDIS_URL: redisUrl } : {};
  const servers: BenchServer[] = await Promise.all(
    Array.from({ length: count }, () =>
      // BENCH_NODE_FLAGS: extra flags for the instances' node, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof'.
      spawnTrackerServer('tracker', capacity, {
        env,
        nodeFlags: (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      }),
    ),
  );
  const urls = servers.map((s) => `ws://127.0.0.1:${s.port}/tracker`);
  try {
    const before = await Promise.all(servers.map((s) => s.ask<Measured>('measure')));
    const redisBefore = admin ? await redisUsedMemory(admin) : 0;
    // One generator process per instance's worth of idle clients, each spread over every instance.
    const swarmsPerHolder = Math.ceil(o.idlePerInstance / o.swarmSize);
    const holders = await Promise.all(
      servers.map((_, k) => holdIdle(urls, o.idlePerInstance, o.swarmSize, 1_000_000 + k * swarmsPerHolder)),
    );
    const idle = await Promise.all(servers.map((s) => s.ask<Measured>('measure')));
    const idlePeers = holders.reduce((n, h) => n + h.joined, 0);
    const redisBytesPerPeer = admin ? ((await redisUsedMemory(admin)) - redisBefore) / idlePeers : null;
    const perInstance = servers.map(
      (_, k) => (idle[k]!.measured.rss - before[k]!.measured.rss) / (idlePeers / servers.length),
    );
    const idleErrors = holders.reduce((n, h) => n + h.errors, 0);
    for (const h of holders) h.stop();

    const load = new Load('tracker', urls, o.clients, o.swarmSize, o.generator, 0, spreadSources);
    await load.join();
    await load.prepareRelay();
    if (redisUrl) {
      // Only relays that cross instances: a neighbor on the sender's own instance is dropped.
      for (const c of load.clients) {
        const own = String(c.id).slice(0, TAG_LENGTH);
        c.neighbors = c.neighbors.filter((n) => String(n).slice(0, TAG_LENGTH) !== own);
      }
    }
    const cpuOf = async () =>
      (await Promise.all(servers.map((s) => s.ask<{ cpuMs: number }>('cpu')))).map((c) => c.cpuMs);
    const instancesCpu0 = await cpuOf(); // also resets the instances' loop-delay and GC figures
    const redisCpu0 = admin ? await redisCpuMs(admin) : 0;
    const generatorCpu0 = process.cpuUsage();
    const generatorLoop = monitorEventLoopDelay({ resolution: 5 });
    generatorLoop.enable();
    const open = await openLoop(load, o.rate, o.durationMs);
    generatorLoop.disable();
    const generatorCpu = process.cpuUsage(generatorCpu0);
    const loops = await Promise.all(servers.map((s) => s.ask<Loop>('loop')));
    const instancesCpu = (await cpuOf()).reduce((sum, ms, k) => sum + ms - instancesCpu0[k]!, 0);
    const redisCpu = admin ? (await redisCpuMs(admin)) - redisCpu0 : null;
    const closed = await closedLoop(load, o.window, o.durationMs);
    await load.close();
    return {
      rssBytesPerClient: median(perInstance),
      redisBytesPerPeer,
      idlePeers,
      p50: percentile(open.latencies, 50),
      p99: percentile(open.latencies, 99),
      achievedRate: open.relays / open.seconds,
      relaysPerSec: closed.relays / closed.seconds,
      errors: load.errors + idleErrors,
      instancesCpuMsPerSec: instancesCpu / open.seconds,
      redisCpuMsPerSec: redisCpu === null ? null : redisCpu / open.seconds,
      generatorCpuMsPerSec: (generatorCpu.user + generatorCpu.system) / 1000 / open.seconds,
      instanceLoopP99Ms: Math.max(...loops.map((l) => l.loopP99Ms)),
      instanceGcMs: loops.reduce((sum, l) => sum + l.gcMs, 0),
      generatorLoopP99Ms: generatorLoop.percentile(99) / 1e6,
    };
  } finally {
    // Asked to exit first (a --cpu-prof profile is written at exit), killed if they do not.
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => s.child.kill('SIGKILL'), 5000);
            s.child.once('exit', () => (clearTimeout(timer), resolve()));
            if (s.child.exitCode !== null || !s.child.connected) s.child.kill('SIGKILL');
            else s.child.send({ cmd: 'exit' });
          }),
      ),
    );
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const round = (x: number | null, d = 1) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

export async function clusterBench(o: ClusterOptions): Promise<void> {
  const redis = await startRedisServer();
  const admin = new Redis(redis.url);
  const single: Figures[] = [];
  const cluster: Figures[] = [];
  try {
    for (let run = 0; run < o.runs; run++) {
      single.push(await measureSetup(o, undefined, undefined));
      await admin.flushall();
      cluster.push(await measureSetup(o, redis.url, admin));
      console.error(
        `run ${run + 1}/${o.runs}: single ${JSON.stringify(single.at(-1))}\n  cluster ${JSON.stringify(cluster.at(-1))}`,
      );
    }
  } finally {
    admin.disconnect();
    await redis.stop();
  }
  const m = (xs: Figures[], k: keyof Figures) => median(xs.map((x) => Number(x[k])));
  const where = (xs: Figures[]) => ({
    instancesCpuMsPerSec: Math.round(m(xs, 'instancesCpuMsPerSec')),
    redisCpuMsPerSec: xs[0]?.redisCpuMsPerSec === null ? null : Math.round(m(xs, 'redisCpuMsPerSec')),
    generatorCpuMsPerSec: Math.round(m(xs, 'generatorCpuMsPerSec')),
    instanceLoopP99Ms: round(m(xs, 'instanceLoopP99Ms'), 1),
    instanceGcMs: round(m(xs, 'instanceGcMs'), 1),
    generatorLoopP99Ms: round(m(xs, 'generatorLoopP99Ms'), 1),
  });
  console.log(
    JSON.stringify({
      bench: 'tracker-cluster',
      instances: o.instances,
      runs: o.runs,
      idlePeersAcrossInstances: m(cluster, 'idlePeers'),
      rssBytesPerClientPerInstance: Math.round(m(cluster, 'rssBytesPerClient')),
      baselineRssBytesPerClient: Math.round(m(single, 'rssBytesPerClient')),
      redisBytesPerIdlePeer: Math.round(m(cluster, 'redisBytesPerPeer')),
      offeredRate: o.rate,
      crossInstanceAchievedRate: Math.round(m(cluster, 'achievedRate')),
      crossInstanceRelayP50Ms: round(m(cluster, 'p50'), 2),
      crossInstanceRelayP99Ms: round(m(cluster, 'p99'), 2),
      baselineRelayP50Ms: round(m(single, 'p50'), 2),
      baselineRelayP99Ms: round(m(single, 'p99'), 2),
      crossInstanceRelaysPerSec: Math.round(m(cluster, 'relaysPerSec')),
      baselineRelaysPerSec: Math.round(m(single, 'relaysPerSec')),
      errors: cluster.reduce((n, f) => n + f.errors, 0) + single.reduce((n, f) => n + f.errors, 0),
      crossInstanceWhere: where(cluster),
      baselineWhere: where(single),
      generator: o.generator,
      loadAverage: loadavg().map((x) => round(x, 1)),
    }),
  );
}
