/**
 * `npm run figure`: the lecture's figure from real engine runs. For each N, one simulated swarm in
 * client-server mode and one in P2P mode (same peers, same seed), then docs/figures/distribution-time.svg
 * with the measured points beside the two bounds, and the numbers in distribution-time.json.
 *
 * Parameters follow Kurose & Ross's example: u_s = 10 u, d = u_s. Override with
 * --size-mib, --up-kibps, --seed-up-kibps, --down-kibps, --ns 1,2,5,... , --seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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
    'size-mib': { type: 'string', default: '8' },
    'up-kibps': { type: 'string', default: '256' },
    'seed-up-kibps': { type: 'string', default: '2560' },
    'down-kibps': { type: 'string', default: '2560' },
    ns: { type: 'string', default: '1,2,5,10,20,50,100,200,500,1000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: join(root, 'docs/figures/distribution-time.svg') },
  },
});
const F = Number(values['size-mib']) * KiB * KiB;
const u = Number(values['up-kibps']) * KiB;
const us = Number(values['seed-up-kibps']) * KiB;
const d = Number(values['down-kibps']) * KiB;
const ns = values.ns.split(',').map(Number);
const seed = Number(values.seed);
if (![F, u, us, d, seed].every(Number.isFinite) || ns.some((n) => !Number.isInteger(n) || n < 1)) {
  process.stderr.write('figure: bad arguments\n');
  process.exit(2);
}

const runs: SimReport[] = [];
for (const mode of ['cs', 'p2p'] as const) {
  for (const n of ns) {
    const r = await runScenario(
      { ...DEFAULT_SCENARIO, mode, peers: n, sizeBytes: F, upBps: u, seedUpBps: us, downBps: d, seed },
      () => performance.now(),
      cpuMs,
    );
    runs.push(r);
    process.stderr.write(`${mode} N=${n}: ${r.distributionSeconds} s (bound ${mode === 'cs' ? r.boundCSSeconds : r.boundP2PSeconds} s, ratio ${r.ratio}) in ${r.wallSeconds} s wall\n`);
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
  if (Math.abs(csBound(n) - boundCS(n, F, us, d)) > 1e-9 || Math.abs(p2pBound(n) - boundP2P(n, F, us, d, n * u)) > 1e-9) {
    throw new Error('bound curve disagrees with src/sim/bounds.ts');
  }
}
const measured = (mode: string) =>
  runs.filter((r) => r.mode === mode && r.distributionSeconds !== null).map((r) => ({ x: r.peers, y: r.distributionSeconds! }));

const mib = (b: number) => `${Math.round((b / KiB / KiB) * 100) / 100} MiB`;
const rate = (b: number) => (b >= KiB * KiB ? `${Math.round((b / KiB / KiB) * 100) / 100} MiB/s` : `${Math.round(b / KiB)} KiB/s`);
const svg = renderChart({
  title: 'Distribution time vs. N: client-server and P2P',
  subtitle: `Swarmdrop engine in the simulator: F = ${mib(F)}, u_s = ${rate(us)}, u_i = ${rate(u)}, d_i = ${rate(d)}, ${DEFAULT_SCENARIO.latencyMs} ms per access link, seed ${seed}`,
  xLabel: 'N (number of downloaders)',
  yLabel: 'Distribution time (seconds)',
  series: [
    { label: 'client-server bound  max{NF/u_s, F/d_min}', color: '#c0392b', kind: 'line', dashed: true, points: curve(csBound) },
    { label: 'client-server, measured', color: '#c0392b', kind: 'points', marker: 'circle', points: measured('cs') },
    { label: 'P2P bound  max{F/u_s, F/d_min, NF/(u_s+Σu_i)}', color: '#1f5fbf', kind: 'line', dashed: true, points: curve(p2pBound) },
    { label: 'P2P (BitTorrent engine), measured', color: '#1f5fbf', kind: 'points', marker: 'square', points: measured('p2p') },
  ],
});
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, svg);
writeFileSync(values.out.replace(/\.svg$/, '.json'), JSON.stringify({ F, u, us, d, seed, runs }, null, 1) + '\n');
process.stderr.write(`wrote ${values.out}\n`);
