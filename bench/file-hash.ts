/**
 * SHA-256 rates of the hashers the app can use (not a test: prints figures, asserts nothing), in
 * Node, whose V8 runs WebAssembly and JavaScript as Chromium's does:
 * - whole file, incremental (src/worker/hasher.ts): hash-wasm against @noble/hashes (its fallback);
 * - one digest per chunk (the plain-http pages' chunk hasher, src/engine/hasher.ts inPageHasher):
 *   hash-wasm against @noble/hashes (its fallback), 256 KiB chunks;
 * beside node:crypto in the same run as the native baseline (what crypto.subtle computes with, in
 * secure contexts: native code, but no streaming). Median of `--runs`.
 * Usage: npm run bench:file-hash [-- --mib 256 --runs 5 --json]
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sha256 } from '@noble/hashes/sha2.js';
import { inPageHasher } from '../src/engine/index.ts';
import { fileHashes } from '../src/worker/hasher.ts';
import { loadAverage } from './cpu-load.ts';

const MiB = 1024 * 1024;
const MB = 1e6;
const CHUNK = 256 * 1024;
const { values: opts } = parseArgs({
  options: {
    mib: { type: 'string', default: '256' },
    runs: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const total = Number(opts.mib) * MiB;
const piece = new Uint8Array(4 * MiB).map((_, i) => (i * 2654435761) >>> 24);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let bytes = total;

/** Bytes per second of `work` over `bytes` fed in `size`-byte pieces. */
async function rate(size: number, work: (data: Uint8Array) => unknown, done: () => unknown = () => 0) {
  const started = performance.now();
  for (let at = 0; at < bytes; at += size) await work(piece.subarray(at % piece.length, (at % piece.length) + size));
  await done();
  return bytes / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const inPage = inPageHasher();
  const cases: Record<string, () => Promise<number>> = {
    fileWasm: async () => {
      const h = await fileHashes(1);
      return rate(
        4 * MiB,
        (d) => h.update(0, d),
        () => h.hexes(),
      );
    },
    fileJs: async () => {
      const h = await fileHashes(1, { forceJs: true });
      return rate(
        4 * MiB,
        (d) => h.update(0, d),
        () => h.hexes(),
      );
    },
    fileNative: async () => {
      const h = createHash('sha256');
      return rate(
        4 * MiB,
        (d) => h.update(d),
        () => h.digest(),
      );
    },
    chunkWasm: () => rate(CHUNK, (d) => inPage.sha256(d)),
    chunkJs: () => rate(CHUNK, (d) => sha256(d)),
    chunkNative: () => rate(CHUNK, (d) => createHash('sha256').update(d).digest()),
  };
  // Warm-up: compile the WebAssembly, let the JIT optimise the JavaScript.
  bytes = 16 * MiB;
  for (const run of Object.values(cases)) await run();
  bytes = total;
  const runs: Record<string, number[]> = {};
  // Rounds interleave the cases, so a change in machine load hits them alike.
  for (let r = 0; r < Number(opts.runs); r++)
    for (const [name, run] of Object.entries(cases)) (runs[name] ??= []).push(await run());
  const mbps = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, Math.round(median(v) / MB)]));
  const figures = {
    bench: 'file-hash',
    mib: Number(opts.mib),
    runs: Number(opts.runs),
    ...Object.fromEntries(Object.entries(mbps).map(([k, v]) => [`${k}MBps`, v])),
    fileWasmOverJs: +(mbps.fileWasm! / mbps.fileJs!).toFixed(2),
    chunkWasmOverJs: +(mbps.chunkWasm! / mbps.chunkJs!).toFixed(2),
    load: loadAverage(),
  };
  if (opts.json) console.log(JSON.stringify(figures));
  else
    console.log(
      `whole file (${opts.mib} MiB, median of ${opts.runs}): hash-wasm ${mbps.fileWasm} MB/s, @noble/hashes ${mbps.fileJs} MB/s (x${figures.fileWasmOverJs}), node:crypto ${mbps.fileNative} MB/s\n` +
        `256 KiB chunks: hash-wasm ${mbps.chunkWasm} MB/s, @noble/hashes ${mbps.chunkJs} MB/s (x${figures.chunkWasmOverJs}), node:crypto ${mbps.chunkNative} MB/s; load ${figures.load}`,
    );
}

await main();
