/**
 * `npm run figure`: the lecture's figure from real engine runs. For each N, one simulated swarm in
 * client-server mode and one in P2P mode (same peers, same seed), then docs/figures/distribution-time.svg
 * with the measured points beside the two bounds, and the numbers in distribution-time.json.
 *
 * Parameters follow Kurose & Ross's example: u_s = 10 u, d = u_s. Override with
 * --size-mib, --chunk-kib, --up-kibps, --seed-up-kibps, --down-kibps, --ns 1,2,5,... , --seed.
 * The file has 256 chunks (16 MiB in 64 KiB chunks): a swarm needs a few chunk transfer times to
 * get going whatever the file size, so the number of chunks, not F, sets how close P2P gets to its
 * bound, and 256 chunks is what the lecture's 64 MiB / 256 KiB example has.
 * `--from-json FILE` redraws the SVG from an earlier run's numbers without simulating.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { boundCS, boundP2P } from '../src/sim/bounds';
import { renderChart } from '../src/sim/figure-svg';
import { DEFAULT_SCENARIO, runScenario, type SimReport } from '../src/sim/scenarios';

const KiB = 1024;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    'size-mib': { type: 'string', default: '16' },
    'chunk-kib': { type: 'string', default: '64' },
    'from-json': { type: 'string' },
    'up-kibps': { type: 'string', default: '256' },
    'seed-up-kibps': { type: 'string', default: '2560' },
    'down-kibps': { type: 'string', default: '2560' },
    ns: { type: 'string', default: '1,2,5,10,20,50,100,200,500,1000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: join(root, 'docs/figures/distribution-time.svg') },
  },
});
interface FigureData {
  F: number;
  chunkSize: number;
  u: number;
  us: number;
  d: number;
  seed: number;
  ns: number[];
  runs: SimReport[];
}
const saved: FigureData | undefined = values['from-json']
  ? (JSON.parse(readFileSync(values['from-json'], 'utf8')) as FigureData)
  : undefined;
const F = saved?.F ?? Number(values['size-mib']) * KiB * KiB;
const chunkSize = saved?.chunkSize ?? Number(values['chunk-kib']) * KiB;
const u = saved?.u ?? Number(values['up-kibps']) * KiB;
const us = saved?.us ?? Number(values['seed-up-kibps']) * KiB;
const d = saved?.d ?? Number(values['down-kibps']) * KiB;
const ns = saved?.ns ?? values.ns.split(',').map(Number);
const seed = saved?.seed ?? Number(values.seed);
if (![F, chunkSize, u, us, d, seed].every(Number.isFinite) || ns.some((n) => !Number.isInteger(n) || n < 1)) {
  process.stderr.write('figure: bad arguments\n');
  process.exit(2);
}

const runs: SimReport[] = saved?.runs ?? [];
for (const mode of saved ? [] : (['cs', 'p2p'] as const)) {
  for (const n of ns) {
    const r = await runScenario(
      { ...DEFAULT_SCENARIO, mode, peers: n, sizeBytes: F, chunkSize, upBps: u, seedUpBps: us, downBps: d, seed },
      () => performance.now(),
      cpuMs,
    );
    runs.push(r);
    process.stderr.write(
      `${mode} N=${n}: ${r.distributionSeconds} s (bound ${mode === 'cs' ? r.boundCSSeconds : r.boundP2PSeconds} s, ratio ${r.ratio}) in ${r.wallSeconds} s wall\n`,
    );
  }
}

const curve = (f: (n: number) => number) => {
  const pts: Array<{ x: number; y: number }> = [];
  const lo = Math.min(...ns);
  const hi = Math.max(...ns);
  for (let i = 0; i <= 200; i++) {
    const n = lo * (hi / lo) ** (i / 200);
    pts.push({ x: n, y: f(n) });
  }
  return pts;
};
// The bounds for non-integer N, to draw them as curves (boundCS/boundP2P want integers).
const csBound = (n: number) => Math.max((n * F) / us, F / d);
const p2pBound = (n: number) => Math.max(F / us, F / d, (n * F) / (us + n * u));
for (const n of ns) {
  // Keep the curves honest: they agree with the tested bounds at every measured N.
  if (
    Math.abs(csBound(n) - boundCS(n, F, us, d)) > 1e-9 ||
    Math.abs(p2pBound(n) - boundP2P(n, F, us, d, n * u)) > 1e-9
  ) {
    throw new Error('bound curve disagrees with src/sim/bounds.ts');
  }
}
const measured = (mode: string) =>
  runs
    .filter((r) => r.mode === mode && r.distributionSeconds !== null)
    .map((r) => ({ x: r.peers, y: r.distributionSeconds! }));

type Point = { x: number; y: number };
const CS_COLOR = '#c0392b';
const P2P_COLOR = '#1f5fbf';
const boundLine = (label: string, color: string, points: Point[]) =>
  ({ label, color, kind: 'line', dashed: true, points }) as const;
const measuredPoints = (label: string, color: string, marker: 'circle' | 'square', points: Point[]) =>
  ({ label, color, kind: 'points', marker, points }) as const;

const mib = (b: number) => `${Math.round((b / KiB / KiB) * 100) / 100} MiB`;
const rate = (b: number) =>
  b >= KiB * KiB ? `${Math.round((b / KiB / KiB) * 100) / 100} MiB/s` : `${Math.round(b / KiB)} KiB/s`;
const chart = (scale: 'log' | 'linear', maxN: number) => {
  const upTo = <T extends { x: number }>(pts: T[]) => pts.filter((p) => p.x <= maxN * 1.0001);
  const lin = (f: (n: number) => number) =>
    Array.from({ length: 101 }, (_, i) => ({ x: 1 + ((maxN - 1) * i) / 100, y: f(1 + ((maxN - 1) * i) / 100) }));
  const bound = (f: (n: number) => number) => (scale === 'log' ? curve(f) : lin(f));
  return renderChart({
    title: `Distribution time vs. N (${scale === 'log' ? 'log-log' : `linear, N <= ${maxN}`}): client-server and P2P`,
    subtitle: `Swarmdrop engine in the simulator: F = ${mib(F)} in ${chunkSize / KiB} KiB chunks, u_s = ${rate(us)}, u_i = ${rate(u)}, d_i = ${rate(d)}, ${DEFAULT_SCENARIO.latencyMs} ms per access link, seed ${seed}`,
    xLabel: 'N (number of downloaders)',
    yLabel: 'Distribution time (seconds)',
    scale,
    series: [
      boundLine('client-server bound  max{NF/u_s, F/d_min}', CS_COLOR, upTo(bound(csBound))),
      measuredPoints('client-server, measured', CS_COLOR, 'circle', upTo(measured('cs'))),
      boundLine('P2P bound  max{F/u_s, F/d_min, NF/(u_s+Σu_i)}', P2P_COLOR, upTo(bound(p2pBound))),
      measuredPoints('P2P (BitTorrent engine), measured', P2P_COLOR, 'square', upTo(measured('p2p'))),
    ],
  });
};
const svg = chart('log', Math.max(...ns));
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, svg);
// The textbook draws it on linear axes for a small class: the same runs, N up to 50.
const smallNs = ns.filter((n) => n <= 50);
if (smallNs.length >= 3)
  writeFileSync(values.out.replace(/\.svg$/, '-linear.svg'), chart('linear', Math.max(...smallNs)));
if (!saved) {
  const data: FigureData = { F, chunkSize, u, us, d, seed, ns, runs };
  writeFileSync(values.out.replace(/\.svg$/, '.json'), JSON.stringify(data, null, 1) + '\n');
}
process.stderr.write(`wrote ${values.out}\n`);
