/**
 * `node scripts/heap-top.mjs FILE [N]`: the N allocation sites (default 20) with the most bytes in a
 * V8 sampling heap profile (e.g. BENCH_HEAP_PROF=FILE npm run bench:tracker), by function and by
 * the innermost five frames of their stacks. Names are function file:line (the function's line).
 */
import fs from 'node:fs';

const [file, count] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node scripts/heap-top.mjs FILE [N]\n');
  process.exit(2);
}
const top = Number(count ?? 20);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byFunction = new Map();
const byStack = new Map();
let total = 0;
const add = (map, key, bytes) => map.set(key, (map.get(key) ?? 0) + bytes);

(function walk(node, stack) {
  const f = node.callFrame;
  const frames = [...stack, `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`];
  if (node.selfSize > 0) {
    total += node.selfSize;
    add(byFunction, frames.at(-1), node.selfSize);
    add(byStack, frames.slice(-5).reverse().join(' < '), node.selfSize);
  }
  for (const child of node.children) walk(child, frames);
})(profile.head, []);

const print = (map) => {
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${(v / 1e6).toFixed(2).padStart(9)} MB  ${k}`);
};
console.log(`total ${(total / 1e6).toFixed(1)} MB sampled`);
console.log('--- by function');
print(byFunction);
console.log('--- by stack (innermost first)');
print(byStack);
