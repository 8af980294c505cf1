/**
 * The projector's demo round: a swarm of real engines (src/sim, virtual clock) whose peers report
 * classroom stats once a virtual second, built by the same statsFromSnapshot a live class's workers
 * use. So the demo shows what the engine does (its choker, picker and rates), not a model of it.
 * A cap is the capacity of the peer's simulated link (upload and download); a peer without a cap
 * gets DEMO_UNCAPPED_BPS, about a school network's share per laptop.
 */
import type { SwarmEngine } from '../engine/index';
import { chooseChunkSize } from '../protocol/metadata';
import { CLASSROOM_DEFECT_AFTER_MS, type ClassroomControl, type PeerStats } from '../protocol/classroom';
import { boundsFor } from '../sim/bounds';
import { runSwarm, type PeerSpec } from '../sim/swarm';
import { statsFromSnapshot } from './classroom-stats';

/** One demo round: the teacher's control (caps, mode, free riders) for `peers` downloaders. */
export interface DemoRoundRequest {
  control: ClassroomControl;
  peers: number;
  sizeBytes: number;
  seed: number;
}

/** One virtual second of the round: every peer's stats, the sharer first. */
export interface DemoTick {
  /** Virtual seconds since the round started. */
  second: number;
  stats: Array<{ from: string; stats: PeerStats }>;
}

/** The simulator's peer ids: the sharer, then downloaders in join order (perPeer keys). */
export const DEMO_SHARER_ID = 'seed';
export const demoPeerId = (i: number) => `p${i}`;

/** Capacity of an uncapped link (bytes/s), upload and download. */
export const DEMO_UNCAPPED_BPS = 2 * 1024 * 1024;
const LATENCY_MS = 10;
export const MAX_DEMO_PEERS = 30;

const orUncapped = (cap: number | undefined) => (cap !== undefined && cap > 0 ? cap : DEMO_UNCAPPED_BPS);

/**
 * Runs the round to its end, calling `onTick` for every virtual second (and once more at the end,
 * with the last completion in it). Resolves with the distribution time in seconds (null if the
 * swarm did not finish within 20 x its bound).
 */
export async function runDemoRound(
  r: DemoRoundRequest,
  onTick: (tick: DemoTick) => void,
  yieldToHost?: () => Promise<void>,
): Promise<number | null> {
  if (!Number.isInteger(r.peers) || r.peers < 1 || r.peers > MAX_DEMO_PEERS)
    throw new RangeError(`a demo round has 1 to ${MAX_DEMO_PEERS} peers`);
  const c = r.control;
  const chunkSize = chooseChunkSize(r.sizeBytes);
  const peers: PeerSpec[] = Array.from({ length: r.peers }, (_, i) => {
    const own = c.perPeer[demoPeerId(i)] ?? {};
    return {
      upBytesPerSecond: orUncapped(own.up ?? c.peerUp),
      downBytesPerSecond: orUncapped(own.down ?? c.peerDown),
      latencyMs: LATENCY_MS,
      joinAtMs: 0,
      ...(own.free ? { freeRide: true } : {}),
    };
  });
  const sharerUp = orUncapped(c.sharerUp);
  const bounds = boundsFor(
    r.sizeBytes,
    sharerUp,
    peers.map((p) => ({ up: p.freeRide ? 0 : p.upBytesPerSecond, down: p.downBytesPerSecond })),
  );
  // What each peer reports as its caps: the control's, 0 = none (as a student's page does).
  const capsOf = (i: number) => {
    const own = c.perPeer[demoPeerId(i)] ?? {};
    return { capUp: own.up ?? c.peerUp, capDown: own.down ?? c.peerDown };
  };
  const doneAt: Array<number | undefined> = [];
  let last: DemoTick | null = null;
  // engines[0] is the sharer; a downloader not joined (or gone) is null.
  const report = (tMs: number, engines: Array<SwarmEngine | null>) => {
    const stats: DemoTick['stats'] = [];
    engines.forEach((engine, index) => {
      if (!engine) return;
      const sharer = index === 0;
      const s = statsFromSnapshot(engine.snapshot(), {
        role: sharer ? 's' : 'p',
        round: c.round,
        mode: c.mode,
        ...(sharer ? { capUp: c.sharerUp, capDown: 0 } : capsOf(index - 1)),
        elapsedMs: sharer ? tMs : Math.min(tMs, doneAt[index - 1] ?? Infinity),
        doneMs: sharer ? undefined : doneAt[index - 1],
      });
      if (s) stats.push({ from: sharer ? DEMO_SHARER_ID : demoPeerId(index - 1), stats: s });
    });
    last = { second: Math.round(tMs / 1000), stats };
    onTick(last);
  };

  const result = await runSwarm({
    mode: c.mode,
    sizeBytes: r.sizeBytes,
    chunkSize,
    seeder: { upBytesPerSecond: sharerUp, downBytesPerSecond: DEMO_UNCAPPED_BPS, latencyMs: LATENCY_MS },
    peers,
    peerListSize: 10,
    seed: r.seed,
    // The students' pages judge defectors over the round's window, not the engine's default.
    engineConfig: { defectAfterMs: CLASSROOM_DEFECT_AFTER_MS },
    deadlineMs: Math.max(60, 20 * (c.mode === 'cs' ? bounds.cs : bounds.p2p)) * 1000,
    // Caps as link capacities: a token bucket's first burst would let a round beat its bound.
    engineUploadCap: false,
    yieldToHost,
    sampleEveryMs: 1000,
    observe: (peer, event, tMs) => {
      if (peer >= 0 && event.type === 'complete' && doneAt[peer] === undefined) doneAt[peer] = tMs;
    },
    probe: (tMs, downloaders, seeder) => report(tMs, [seeder, ...downloaders]),
    // The last completion falls between two samples: one more report, at the next whole second.
    inspect: (downloaders, seeder) => {
      const end = Math.max(0, ...doneAt.map((t) => t ?? 0));
      const second = Math.ceil(end / 1000) * 1000;
      if (!last || last.second * 1000 < second) report(second, [seeder, ...downloaders]);
    },
  });
  return Number.isFinite(result.distributionMs) ? result.distributionMs / 1000 : null;
}
