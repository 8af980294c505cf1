/**
 * `npm run figure` (second part): two figures of the engine in the simulator, beside the theory.
 * - docs/figures/chunks-vs-bound.svg: D / D_P2P against file size (1-256 MiB) for N = 10, 30, 100,
 *   each share with the chunk size the app picks (src/protocol/metadata.ts), beside the
 *   optimal-schedule curve 1 + log2(N)/M (Mundinger, Weber and Weiss (2008): (F/u)(1 + log2(N)/M)
 *   for M chunks, over the fluid time): the piece count sets the floor, the policy how close a
 *   swarm gets to it.
 * - docs/figures/completion-vs-upload.svg: every downloader's completion time against its upload
 *   rate, in a mixed swarm (N = 60) and a swarm with 20 % free riders (N = 50), 16 MiB.
 * Equal caps u = 512 KiB/s, u_s = 1 MiB/s, d = 4u (the defaults of `npm run sim`). The numbers go
 * to the .json beside each SVG. `--only chunks|incentives` draws one of them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chooseChunkSize } from '../src/protocol/metadata';
import { renderChart, type Series } from '../src/sim/figure-svg';
import { DEFAULT_SCENARIO, runScenarioDetailed, type ScenarioOptions } from '../src/sim/scenarios';

const KiB = 1024;
const MiB = KiB * KiB;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = (name: string) => join(root, 'docs/figures', name);
const { values } = parseArgs({ options: { only: { type: 'string' }, seed: { type: 'string', default: '1' } } });
const seed = Number(values.seed);
// Without DEFAULT_SCENARIO's fixed 256 KiB: each run takes the app's chunk size unless it says otherwise.
const { chunkSize: _fixed, ...defaults } = DEFAULT_SCENARIO;
const base = { ...defaults, seed, upBps: 512 * KiB, seedUpBps: 1024 * KiB };
const colors = ['#1f5fbf', '#c0392b', '#2e8b57'];

async function run(o: Omit<ScenarioOptions, 'chunkSize'> & { chunkSize?: number }) {
  const chunkSize = o.chunkSize ?? chooseChunkSize(o.sizeBytes);
  const r = await runScenarioDetailed({ ...o, chunkSize }, () => performance.now());
  process.stderr.write(
    `${o.scenario} N=${o.peers} F=${o.sizeBytes / MiB} MiB chunk ${chunkSize / KiB} KiB: ${r.report.distributionSeconds} s, ratio ${r.report.ratio} (${r.report.wallSeconds} s wall)\n`,
  );
  return r;
}

function write(name: string, svg: string, data: unknown) {
  mkdirSync(dirname(out(name)), { recursive: true });
  writeFileSync(out(`${name}.svg`), svg);
  writeFileSync(out(`${name}.json`), JSON.stringify(data, null, 1) + '\n');
  process.stderr.write(`wrote docs/figures/${name}.svg\n`);
}

async function chunksFigure() {
  const sizes = [1, 2, 4, 8, 16, 32, 64, 128, 256];
  // N = 100 stops at 64 MiB: beyond, the ratio changes little and a run takes minutes.
  const grid: Array<[number, number[]]> = [
    [10, sizes],
    [30, sizes],
    [100, sizes.filter((s) => s <= 64)],
  ];
  const rows = [];
  const series: Series[] = [];
  for (const [i, [n, ss]] of grid.entries()) {
    const measured = [];
    const fixed = [];
    const optimal = [];
    for (const s of ss) {
      const F = s * MiB;
      const spec = { ...base, scenario: 'equal' as const, mode: 'p2p' as const, peers: n, sizeBytes: F };
      const { report } = await run(spec);
      // The same swarm in the lecture's 256 KiB chunks, for comparison (identical from 64 MiB on).
      const old = F < 64 * MiB ? (await run({ ...spec, chunkSize: 256 * KiB })).report : report;
      const M = Math.ceil(F / report.chunkSize);
      // Mundinger et al.'s (F/u)(1 + log2(N)/M) for u_s = u, with F/u (the fluid time) read as the
      // fluid bound D_P2P, so the curve is the ratio the best schedule of M chunks reaches.
      const opt = 1 + Math.log2(n) / M;
      rows.push({
        N: n,
        sizeMiB: s,
        chunkKiB: report.chunkSize / KiB,
        chunks: M,
        ratio: report.ratio,
        ratio256KiB: old.ratio,
        optimalRatio: opt,
      });
      if (report.ratio !== null) measured.push({ x: s, y: report.ratio });
      if (old.ratio !== null) fixed.push({ x: s, y: old.ratio });
      optimal.push({ x: s, y: opt });
    }
    series.push({
      label: `N = ${n}, engine, 256 KiB chunks`,
      color: colors[i]!,
      kind: 'dots',
      marker: 'circle',
      points: fixed,
    });
    series.push({
      label: `N = ${n}, engine, chunk size from F`,
      color: colors[i]!,
      kind: 'points',
      marker: 'square',
      points: measured,
    });
    series.push({
      label: `N = ${n}, optimal schedule 1 + log2(N)/M`,
      color: colors[i]!,
      kind: 'line',
      dashed: true,
      points: optimal,
    });
  }
  const svg = renderChart({
    title: 'D / D_P2P against file size: the engine and the optimal schedule',
    subtitle: `simulator, u_i = 512 KiB/s, u_s = 1 MiB/s, d = 2 MiB/s, chunk size from the file size (16 KiB min., 256 KiB from 64 MiB), seed ${seed}`,
    xLabel: 'file size F (MiB)',
    yLabel: 'D / D_P2P bound',
    scale: 'log',
    series,
  });
  write('chunks-vs-bound', svg, { seed, rows });
}

async function incentivesFigure() {
  const mixed = await run({ ...base, scenario: 'mixed', mode: 'p2p', peers: 60, sizeBytes: 16 * MiB });
  const riders = await run({
    ...base,
    scenario: 'freeriders',
    freeRiders: 0.2,
    mode: 'p2p',
    peers: 50,
    sizeBytes: 16 * MiB,
  });
  const dots = (peers: typeof mixed.peers, pick: (p: (typeof mixed.peers)[number]) => boolean) =>
    peers.filter((p) => pick(p) && p.seconds !== null).map((p) => ({ x: p.upBps / KiB, y: p.seconds! }));
  const svg = renderChart({
    title: 'Completion time against upload rate: tit-for-tat at work',
    subtitle: `simulator, 16 MiB, u_s = 1 MiB/s; mixed: N = 60, uploads 128-896 KiB/s (rank correlation ${mixed.report.uploadRankCorrelation}); free riders: N = 50, 20 % upload nothing, the rest 512 KiB/s; seed ${seed}`,
    xLabel: 'upload rate (KiB/s)',
    yLabel: 'completion time (s)',
    scale: 'linear',
    series: [
      {
        label: 'mixed swarm',
        color: colors[0]!,
        kind: 'dots',
        marker: 'circle',
        points: dots(mixed.peers, () => true).sort((a, b) => a.x - b.x),
      },
      {
        label: 'free riders (upload 0)',
        color: colors[1]!,
        kind: 'dots',
        marker: 'square',
        points: dots(riders.peers, (p) => p.freeRider),
      },
      {
        label: 'their contributors (512 KiB/s)',
        color: colors[2]!,
        kind: 'dots',
        marker: 'circle',
        points: dots(riders.peers, (p) => !p.freeRider),
      },
    ],
  });
  write('completion-vs-upload', svg, {
    seed,
    mixed: mixed.report,
    freeRiders: riders.report,
    mixedPeers: mixed.peers,
    freeRiderPeers: riders.peers,
  });
}

if (values.only !== 'incentives') await chunksFigure();
if (values.only !== 'chunks') await incentivesFigure();
