/**
 * `npm run sim:timeline -- <the same flags as npm run sim> [--every-ms 5000]`
 * Looks inside one simulated swarm: the share of the swarm's upload capacity used per window, when
 * the downloaders got the metadata and their first verified chunk, and when they completed
 * (percentiles); with mixed capacities the same by upload class, and what each class verified per
 * window as a share of its own download capacity. Prints one JSON line. Used to find where a run
 * loses time against its bound.
 */
import { parseSimArgs } from './sim';
import { buildSpec } from '../src/sim/scenarios';
import { runSwarm } from '../src/sim/swarm';

const argv = process.argv.slice(2);
const everyAt = argv.indexOf('--every-ms');
const everyMs = everyAt >= 0 ? Number(argv.splice(everyAt, 2)[1]) : 5000;
const options = parseSimArgs(argv);
const { spec, bounds } = buildSpec(options);
const n = spec.peers.length;
const metadataAt: number[] = new Array<number>(n).fill(NaN);
const firstChunkAt: number[] = new Array<number>(n).fill(NaN);
/** Per downloader: verified chunks per window (what it received, as a share of its own download capacity, by upload class). */
const chunksPerWindow: number[][] = Array.from({ length: n }, () => []);
spec.observe = (peer, event, tMs) => {
  if (peer < 0) return;
  if (event.type === 'metadata') metadataAt[peer] = tMs;
  if (event.type !== 'chunk') return;
  if (Number.isNaN(firstChunkAt[peer])) firstChunkAt[peer] = tMs;
  const w = Math.floor(tMs / everyMs);
  chunksPerWindow[peer]![w] = (chunksPerWindow[peer]![w] ?? 0) + 1;
};
spec.sampleEveryMs = everyMs;
const r = await runSwarm(spec);

const seconds = (ms: number[]) => ms.filter(Number.isFinite).sort((a, b) => a - b);
const percentiles = (ms: number[]) => {
  const s = seconds(ms);
  const at = (q: number) =>
    s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! / 10) / 100 : null;
  return { p10: at(0.1), p50: at(0.5), p90: at(0.9), max: at(1) };
};
const modeBound = options.mode === 'cs' ? bounds.cs : bounds.p2p;
const windows = r.timeline!.length;
/**
 * Downloaders grouped by upload capacity (the mixed scenario has five classes): when they got a
 * first chunk and completed, and what they verified per window as a percentage of their own
 * download capacity. The slowest class sets F / d_min: it must stay near 100 % from the start.
 */
const uploadClasses = [...new Set(spec.peers.map((p) => p.upBytesPerSecond))].sort((a, b) => a - b);
const classes = uploadClasses.map((up) => {
  const members = spec.peers.flatMap((p, i) => (p.upBytesPerSecond === up ? [i] : []));
  const receivedPercent = Array.from({ length: windows }, (_, w) => {
    let share = 0;
    for (const i of members)
      share +=
        ((chunksPerWindow[i]![w] ?? 0) * options.chunkSize) / ((spec.peers[i]!.downBytesPerSecond * everyMs) / 1000);
    return Math.round((100 * share) / members.length);
  });
  return {
    upKiBps: up / 1024,
    peers: members.length,
    firstChunkSeconds: percentiles(members.map((i) => firstChunkAt[i]!)),
    completedSeconds: percentiles(members.map((i) => r.completedAtMs[i] ?? NaN)),
    receivedPercentOfDown: receivedPercent,
  };
});
console.log(
  JSON.stringify({
    peers: n,
    ratio: Math.round((r.distributionMs / 1000 / modeBound) * 1e4) / 1e4,
    boundSeconds: Math.round(modeBound * 1000) / 1000,
    metadataSeconds: percentiles(metadataAt),
    firstChunkSeconds: percentiles(firstChunkAt),
    completedSeconds: percentiles(r.completedAtMs.map((t) => t ?? NaN)),
    uploadUsedPercent: r.timeline!.map((s) => Math.round((100 * s.uploadedBytes) / ((s.capacityBps * everyMs) / 1000))),
    everyMs,
    ...(classes.length > 1 ? { byUploadClass: classes } : {}),
  }),
);
