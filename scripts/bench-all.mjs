// `npm run bench`: runs every benchmark in the repo, prints their figures, and writes them into
// docs/BENCHMARKS.md between the bench-all markers (the prose around them is written by hand).
// Each benchmark prints its results as JSON lines; everything else it prints is passed through.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const BENCHES = [
  { name: 'tracker', command: 'npm run -s bench:tracker' },
  { name: 'tracker over redis', command: 'npm run -s bench:tracker -- --redis' },
  { name: 'tracker under attack', command: 'npm run -s bench:attack' },
  { name: 'sim p2p N=10', command: 'npm run -s sim -- --peers 10 --size-mib 64 --up-kibps 512 --seed-up-kibps 1024' },
  { name: 'sim p2p N=100', command: 'npm run -s sim -- --peers 100 --size-mib 64 --up-kibps 512 --seed-up-kibps 1024' },
  {
    name: 'sim p2p N=1000',
    speed: true, // the goal: under 60 s of wall time
    command: 'npm run -s sim -- --peers 1000 --size-mib 64 --up-kibps 512 --seed-up-kibps 1024',
  },
  {
    name: 'sim p2p N=100 mixed',
    command: 'npm run -s sim -- --peers 100 --size-mib 64 --up-kibps 512 --seed-up-kibps 1024 --scenario mixed',
  },
  {
    name: 'sim p2p N=1000 mixed',
    speed: true, // the goal: under 60 s of wall time
    command: 'npm run -s sim -- --peers 1000 --size-mib 64 --up-kibps 512 --seed-up-kibps 1024 --scenario mixed',
  },
  {
    name: 'sim cs N=100',
    command: 'npm run -s sim -- --peers 100 --size-mib 64 --up-kibps 512 --seed-up-kibps 1024 --mode cs',
  },
  // Class-sized files (goals: D / D_P2P <= 1.25 at 4 MiB, <= 1.15 at 16 MiB; chunk size from the file size).
  {
    name: 'sim p2p N=30 4 MiB',
    command: 'npm run -s sim -- --peers 30 --size-mib 4 --up-kibps 512 --seed-up-kibps 1024',
  },
  {
    name: 'sim p2p N=30 16 MiB',
    command: 'npm run -s sim -- --peers 30 --size-mib 16 --up-kibps 512 --seed-up-kibps 1024',
  },
  {
    name: 'sim p2p N=100 16 MiB',
    command: 'npm run -s sim -- --peers 100 --size-mib 16 --up-kibps 512 --seed-up-kibps 1024',
  },
  {
    name: 'sim p2p N=30 64 MiB',
    command: 'npm run -s sim -- --peers 30 --size-mib 64 --up-kibps 512 --seed-up-kibps 1024',
  },
  // Free riders (goals: their median >= 1.3 x the contributors', contributors' <= 1.1 x the baseline).
  {
    name: 'sim p2p N=50 16 MiB 20% free riders',
    command:
      'npm run -s sim -- --peers 50 --size-mib 16 --up-kibps 512 --seed-up-kibps 1024 --scenario freeriders --free-riders 0.2',
  },
  { name: 'browser', command: 'npm run -s bench:browser -- --json' },
  { name: 'share creation', command: 'npm run -s bench:share -- --json' },
  { name: 'private-share cipher', command: 'npm run -s bench:cipher -- --json' },
];

const only = process.argv.slice(2);
const rows = [];
const loadAtStart = loadavg()[0];
for (const bench of BENCHES) {
  if (only.length && !only.some((o) => bench.name.startsWith(o))) continue;
  console.log(`\n== ${bench.name}: ${bench.command}`);
  const run = spawnSync('sh', ['-c', bench.command], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(run.stdout ?? '');
  process.stderr.write(run.stderr ?? '');
  const figures = (run.stdout ?? '')
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
  rows.push({ ...bench, ok: run.status === 0, figures });
}

const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
const machine = `${cpus().length} cores, Node ${process.version}`;
const load = `load average (1 min) ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`;
// The headline figures of each JSON line (the full lines are in the run's output): ratios to the
// same run's baseline or bound, times, rates, memory per client and the load the run saw.
const HEADLINE =
  /ratio|Ratio|Seconds$|P(50|99)Ms$|BytesPer|PerSec$|MiBps$|MBps$|loadAvg|^(mode|scenario|peers|outcome|attack|sizeMiB)$/;
// Wall and CPU time only where speed is the goal (elsewhere they measure the machine's load).
const headline = (figure, speed) =>
  Object.entries(figure)
    .filter(([key]) => HEADLINE.test(key) && (speed || (key !== 'wallSeconds' && key !== 'cpuSeconds')))
    .map(([key, value]) => `${key} ${Array.isArray(value) ? value.join('/') : value}`)
    .join(', ');
const block = [
  '<!-- bench-all:begin (written by `npm run bench`; do not edit by hand) -->',
  `Last \`npm run bench\`: ${stamp} UTC, ${machine}, ${load}; every command's full JSON is in its output.`,
  '',
  '| benchmark | command | headline figures |',
  '| --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.name}${r.ok ? '' : ' (FAILED: see its output)'} | \`${r.command}\` | ${r.figures.map((f) => headline(f, r.speed)).join('<br>')} |`,
  ),
  '<!-- bench-all:end -->',
].join('\n');

const path = new URL('../docs/BENCHMARKS.md', import.meta.url);
const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
const pattern = /<!-- bench-all:begin[\s\S]*?<!-- bench-all:end -->/;
if (only.length) {
  console.log('\n(only some benchmarks ran: docs/BENCHMARKS.md left as it is)');
} else {
  writeFileSync(
    path,
    pattern.test(doc) ? doc.replace(pattern, block) : `${doc.trimEnd()}\n\n## Latest figures\n${block}\n`,
  );
  console.log('\nwrote docs/BENCHMARKS.md');
}
process.exit(rows.every((r) => r.ok) ? 0 : 1);
