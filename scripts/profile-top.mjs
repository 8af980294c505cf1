/**
 * `node scripts/profile-top.mjs FILE.cpuprofile [N] [FUNCTION]`: the N functions (default 30) with
 * the most self time, then the most inclusive time, from a V8 CPU profile (`node --cpu-prof`).
 * Functions are named with file:line. With FUNCTION (a name), also its hottest source lines
 * (samples per line, inlined callees included: where inside it the time goes). Profile a bundle of the simulator so lines mean something (tsx puts a
 * whole module on one line), e.g.:
 *   npx esbuild scripts/sim.ts --bundle --platform=node --format=esm --outfile=/tmp/sim.mjs
 *   node --max-semi-space-size=64 --cpu-prof --cpu-prof-dir=/tmp/prof /tmp/sim.mjs --peers 1000
 *   node scripts/profile-top.mjs /tmp/prof/CPU.*.cpuprofile
 */
import fs from 'node:fs';

const [file, count, fn] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node scripts/profile-top.mjs FILE.cpuprofile [N] [FUNCTION]\n');
  process.exit(2);
}
const top = Number(count ?? 30);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;

// Time per sampled node (microseconds).
const timeOf = new Map();
profile.samples.forEach((id, i) => timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const self = new Map();
const inclusive = new Map();
let total = 0;
for (const [id, t] of timeOf) {
  total += t;
  const key = name(byId.get(id));
  self.set(key, (self.get(key) ?? 0) + t);
  // Each function once per sample, however often it recurses.
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = name(byId.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + t);
  }
}

const print = (title, map) => {
  console.log(`--- ${title}`);
  for (const [k, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(t / 1000).toFixed(0).padStart(8)} ms ${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}`);
  }
};
console.log(`total ${(total / 1000).toFixed(0)} ms`);
print('self', self);
print('inclusive', inclusive);

if (fn) {
  const lines = new Map();
  for (const n of profile.nodes) {
    if (n.callFrame.functionName !== fn) continue;
    for (const t of n.positionTicks ?? []) {
      const k = `${n.callFrame.url.split('/').pop()}:${t.line}`;
      lines.set(k, (lines.get(k) ?? 0) + t.ticks);
    }
  }
  console.log(`--- ${fn}: samples per line`);
  for (const [k, t] of [...lines].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${String(t).padStart(8)}  ${k}`);
}
