/**
 * Named scenarios turned into swarm specs, and the one-line report `npm run sim` prints.
 *
 *   equal    every downloader has the same upload/download capacity and latency
 *   mixed    uploads drawn from {0.25, 0.5, 1, 1.5, 1.75} x u (mean u), downloads 4 x upload
 *            (or --down-kibps for all), latencies 0.5..1.5 x --latency-ms
 *   arrivals downloaders join at uniform random times over --arrival-seconds
 *   churn    a --leave-fraction of downloaders leave at random times before the P2P bound; peers
 *            left with few neighbors ask the tracker for more
 */
import { createSeededRandom, type EngineConfig, type EngineMode } from '../engine/index';
import { boundsFor } from './bounds';
import { runSwarm, type PeerSpec, type SwarmResult, type SwarmSpec } from './swarm';
import { median, rankCorrelation } from './stats';

export const SCENARIOS = ['equal', 'mixed', 'arrivals', 'churn', 'freeriders'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const KiB = 1024;

export interface ScenarioOptions {
  scenario: ScenarioName;
  mode: EngineMode;
  peers: number;
  sizeBytes: number;
  chunkSize: number;
  /**
   * Default: the chunk size, one request and one piece message per chunk (16 x fewer messages than
   * 16 KiB blocks; the engine scales its snub and request timeouts with the block size).
   */
  blockSize?: number;
  upBps: number;
  seedUpBps: number;
  /** Downloaders' download capacity; default 4 x their upload. */
  downBps?: number;
  /** Seeder's download capacity (it downloads nothing but control messages); default 4 x its upload. */
  seedDownBps?: number;
  latencyMs: number;
  peerListSize: number;
  seed: number;
  arrivalSeconds?: number;
  leaveFraction?: number;
  /** freeriders: this fraction of the downloaders (rounded) upload nothing (engine setting freeRide); default 0.2. */
  freeRiders?: number;
  /** freeriders: also run the same swarm without free riders for baselineMedianSeconds (default true). */
  baseline?: boolean;
  /** Default: 20 x the bound of the mode, at least 60 s. */
  deadlineSeconds?: number;
  verifyBytes?: boolean;
  /** Engine settings for every peer (the simulator sets mode, role, block size itself). */
  engineConfig?: Partial<EngineConfig>;
  /** Every engine also caps its upload (token bucket) at its host's upload rate, as the browser bench does. */
  engineUploadCap?: boolean;
  /** How the run lets promise continuations run between windows of virtual time (run-loop.ts). */
  yieldToHost?: () => Promise<void>;
}

export const DEFAULT_SCENARIO: Omit<ScenarioOptions, 'peers' | 'sizeBytes' | 'upBps' | 'seedUpBps'> = {
  scenario: 'equal',
  mode: 'p2p',
  chunkSize: 256 * KiB,
  latencyMs: 25,
  peerListSize: 10,
  seed: 1,
};

/** The JSON line `npm run sim` prints. Times in seconds, rates in KiB/s. */
export interface SimReport {
  scenario: ScenarioName;
  mode: EngineMode;
  peers: number;
  sizeBytes: number;
  chunkSize: number;
  blockSize: number;
  seedUpKiBps: number;
  meanUpKiBps: number;
  minDownKiBps: number;
  latencyMs: number;
  peerListSize: number;
  seed: number;
  distributionSeconds: number | null;
  boundP2PSeconds: number;
  boundCSSeconds: number;
  ratio: number | null;
  /** Mean of (completion - join) over downloaders that completed. */
  meanDownloadSeconds: number | null;
  completed: number;
  expected: number;
  outcome: SwarmResult['outcome'];
  bytesIdentical?: boolean;
  messages: number;
  hashesComputed: number;
  peerErrors: number;
  wallSeconds: number;
  /** CPU time of this process during the run (user + system), when the host can tell. */
  cpuSeconds?: number;
  /** Spearman's rank correlation of download time against upload rate (mixed; negative = uploading pays). */
  uploadRankCorrelation?: number | null;
  /** freeriders: how many free riders, and median download times of both groups. */
  freeRiders?: number;
  contributorsMedianSeconds?: number | null;
  freeRidersMedianSeconds?: number | null;
  /** freeriders: median download time of the same swarm and seed with nobody free riding. */
  baselineMedianSeconds?: number | null;
}

/** One downloader's outcome, for figures: its upload capacity, download time, whether it free rode. */
export interface PeerOutcome {
  upBps: number;
  seconds: number | null;
  freeRider: boolean;
  /** Bytes its uplink sent (data and control). */
  uploadedBytes: number;
}

export function buildSpec(o: ScenarioOptions): { spec: SwarmSpec; bounds: ReturnType<typeof boundsFor> } {
  if (!Number.isInteger(o.peers) || o.peers < 1) throw new RangeError('peers must be an integer >= 1');
  if (!(o.sizeBytes >= 1)) throw new RangeError('size must be at least one byte');
  for (const [k, v] of [
    ['up', o.upBps],
    ['seed up', o.seedUpBps],
    ['down', o.downBps ?? 1],
  ] as const) {
    if (!(v > 0)) throw new RangeError(`${k} rate must be positive`);
  }
  if (!(o.latencyMs >= 0)) throw new RangeError('latency must be >= 0');
  if (!Number.isInteger(o.peerListSize) || o.peerListSize < 1)
    throw new RangeError('the peer list must hold at least one peer');
  const rng = createSeededRandom(o.seed * 104_729 + 17);
  const peers: PeerSpec[] = [];
  for (let i = 0; i < o.peers; i++) {
    let up = o.upBps;
    let latencyMs = o.latencyMs;
    if (o.scenario === 'mixed') {
      up = o.upBps * [0.25, 0.5, 1, 1.5, 1.75][Math.floor(rng() * 5)]!;
      latencyMs = o.latencyMs * (0.5 + rng());
    }
    peers.push({ upBytesPerSecond: up, downBytesPerSecond: o.downBps ?? 4 * up, latencyMs, joinAtMs: 0 });
  }
  const boundsOf = () =>
    boundsFor(
      o.sizeBytes,
      o.seedUpBps,
      peers.map((p) => ({ up: p.freeRide ? 0 : p.upBytesPerSecond, down: p.downBytesPerSecond })),
    );
  let bounds = boundsOf();
  if (o.scenario === 'arrivals') {
    const spread = (o.arrivalSeconds ?? bounds.p2p / 2) * 1000;
    const times = peers.map(() => rng() * spread).sort((a, b) => a - b);
    peers.forEach((p, i) => (p.joinAtMs = times[i]!));
  }
  if (o.scenario === 'freeriders') {
    const fraction = o.freeRiders ?? 0.2;
    if (!(fraction >= 0 && fraction < 1)) throw new RangeError('free-rider fraction must be in [0, 1)');
    // Exactly round(fraction x N) of them, drawn with the scenario's seed (a partial Fisher-Yates shuffle).
    const order = peers.map((_, i) => i);
    const count = Math.round(fraction * peers.length);
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(rng() * (order.length - i));
      [order[i], order[j]] = [order[j]!, order[i]!];
      peers[order[i]!]!.freeRide = true;
    }
    bounds = boundsOf(); // a free rider's u_i is 0
  }
  if (o.scenario === 'churn') {
    const fraction = o.leaveFraction ?? 0.2;
    if (!(fraction >= 0 && fraction < 1)) throw new RangeError('leave fraction must be in [0, 1)');
    for (const p of peers) if (rng() < fraction) p.leaveAtMs = (0.1 + 0.8 * rng()) * bounds.p2p * 1000;
  }
  const modeBound = o.mode === 'cs' ? bounds.cs : bounds.p2p;
  const spec: SwarmSpec = {
    mode: o.mode,
    sizeBytes: o.sizeBytes,
    chunkSize: o.chunkSize,
    blockSize: o.blockSize ?? o.chunkSize,
    seeder: {
      upBytesPerSecond: o.seedUpBps,
      downBytesPerSecond: o.seedDownBps ?? 4 * o.seedUpBps,
      latencyMs: o.latencyMs,
    },
    peers,
    peerListSize: o.peerListSize,
    minNeighbors: o.scenario === 'churn' ? Math.ceil(o.peerListSize / 2) : 0,
    seed: o.seed,
    deadlineMs: (o.deadlineSeconds ?? Math.max(60, 20 * modeBound)) * 1000,
    verifyBytes: o.verifyBytes,
    engineConfig: o.engineConfig,
    engineUploadCap: o.engineUploadCap,
    yieldToHost: o.yieldToHost,
  };
  return { spec, bounds };
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/** `now` and `cpu` are host clocks in ms (wall, and CPU time of the process), for the report only. */
export async function runScenario(
  o: ScenarioOptions,
  now: () => number = () => Date.now(),
  cpu?: () => number,
): Promise<SimReport> {
  return (await runScenarioDetailed(o, now, cpu)).report;
}

/** runScenario, plus every downloader's outcome (for figures). */
export async function runScenarioDetailed(
  o: ScenarioOptions,
  now: () => number = () => Date.now(),
  cpu?: () => number,
): Promise<{ report: SimReport; peers: PeerOutcome[] }> {
  const started = now();
  const cpuStarted = cpu?.();
  const { spec, bounds } = buildSpec(o);
  const r = await runSwarm(spec);
  const seconds = r.completedAtMs.map((t, i) => (t === null ? null : (t - spec.peers[i]!.joinAtMs) / 1000));
  const peers: PeerOutcome[] = spec.peers.map((p, i) => ({
    upBps: p.freeRide ? 0 : p.upBytesPerSecond,
    seconds: seconds[i]!,
    freeRider: !!p.freeRide,
    uploadedBytes: r.uploadedBytes[i]!,
  }));
  // The baseline: the same swarm and seed with nobody free riding (the free riders' draw is the
  // scenario's last use of the seeded stream, so every other peer setting is the same).
  const freeRiding = o.scenario === 'freeriders';
  const baseline = freeRiding && o.baseline !== false ? await runSwarm(buildSpec({ ...o, freeRiders: 0 }).spec) : null;
  const modeBound = o.mode === 'cs' ? bounds.cs : bounds.p2p;
  const dist = Number.isFinite(r.distributionMs) ? r.distributionMs / 1000 : null;
  const downloads = r.completedAtMs
    .map((t, i) => (t === null ? null : t - spec.peers[i]!.joinAtMs))
    .filter((t): t is number => t !== null);
  const report: SimReport = {
    scenario: o.scenario,
    mode: o.mode,
    peers: o.peers,
    sizeBytes: o.sizeBytes,
    chunkSize: o.chunkSize,
    blockSize: spec.blockSize!,
    seedUpKiBps: round(o.seedUpBps / KiB),
    meanUpKiBps: round(bounds.sumUp / o.peers / KiB),
    minDownKiBps: round(bounds.dMin / KiB),
    latencyMs: o.latencyMs,
    peerListSize: o.peerListSize,
    seed: o.seed,
    distributionSeconds: dist === null ? null : round(dist),
    boundP2PSeconds: round(bounds.p2p),
    boundCSSeconds: round(bounds.cs),
    ratio: dist === null ? null : round(dist / modeBound, 4),
    meanDownloadSeconds: downloads.length
      ? round(downloads.reduce((a, b) => a + b, 0) / downloads.length / 1000)
      : null,
    completed: r.completed,
    expected: r.expected,
    outcome: r.outcome,
    messages: r.messages,
    hashesComputed: r.hashesComputed,
    peerErrors: r.peerErrorCount,
    wallSeconds: round((now() - started) / 1000, 2),
  };
  const done = peers.filter((p) => p.seconds !== null);
  if (o.scenario === 'mixed')
    report.uploadRankCorrelation = nullableRound(
      rankCorrelation(
        done.map((p) => p.upBps),
        done.map((p) => p.seconds!),
      ),
    );
  if (freeRiding) {
    const riders = peers.filter((p) => p.freeRider);
    report.freeRiders = riders.length;
    report.contributorsMedianSeconds = nullableRound(median(timesOf(peers.filter((p) => !p.freeRider))));
    report.freeRidersMedianSeconds = nullableRound(median(timesOf(riders)));
    if (baseline)
      report.baselineMedianSeconds = nullableRound(
        median(baseline.completedAtMs.filter((t): t is number => t !== null).map((t) => t / 1000)),
      );
  }
  if (cpu && cpuStarted !== undefined) report.cpuSeconds = round((cpu() - cpuStarted) / 1000, 2);
  if (r.bytesIdentical !== undefined) report.bytesIdentical = r.bytesIdentical;
  return { report, peers };
}

const timesOf = (peers: PeerOutcome[]) => peers.flatMap((p) => (p.seconds === null ? [] : [p.seconds]));
const nullableRound = (x: number | null) => (x === null ? null : round(x));
