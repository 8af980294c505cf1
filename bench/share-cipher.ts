/**
 * The private-share cipher's rates (not a test: prints figures, asserts nothing), in Node, per
 * 256 KiB chunk: SHA-256 alone (what hashing costs without encryption) against AES-256-CTR then
 * SHA-256 (a private share's hash pass), for the pure-JS fallback of plain-http pages
 * (@noble/ciphers + @noble/hashes, the `noSubtle` path) and for WebCrypto; and the fallback's
 * decrypt rate (saving). Compare the fallback's rates with the raw data channel's in the
 * `browser` bench of the same `npm run bench` run.
 * Usage: npm run bench:cipher [-- --mib 64 --runs 3 --json]
 */
import { parseArgs } from 'node:util';
import { sha256 } from '@noble/hashes/sha2.js';
import { createShareCipher } from '../src/protocol/share-cipher.ts';
import { loadAverage } from './cpu-load.ts';

const MiB = 1024 * 1024;
const MB = 1e6;
const CHUNK = 256 * 1024;
const { values: opts } = parseArgs({
  options: {
    mib: { type: 'string', default: '64' },
    runs: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const total = Number(opts.mib) * MiB;
const chunks = total / CHUNK;
const data = new Uint8Array(CHUNK).map((_, i) => (i * 2654435761) >>> 24);
const keys = { chunkKey: new Uint8Array(32).fill(1), metadataKey: new Uint8Array(32).fill(2) };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function rate(work: (i: number) => Promise<unknown>): Promise<number> {
  const runs: number[] = [];
  for (let r = 0; r < Number(opts.runs); r++) {
    const started = performance.now();
    for (let i = 0; i < chunks; i++) await work(i);
    runs.push(total / ((performance.now() - started) / 1000));
  }
  return median(runs);
}

async function main(): Promise<void> {
  const js = createShareCipher(keys, { forceJs: true });
  const subtle = createShareCipher(keys);
  const digest = (d: Uint8Array) => crypto.subtle.digest('SHA-256', d as Uint8Array<ArrayBuffer>);
  const jsHash = await rate(async () => sha256(data));
  const jsBoth = await rate(async (i) => sha256(await js.encryptChunk(i, data)));
  const jsDecrypt = await rate((i) => js.decryptChunk(i, data));
  const subtleHash = await rate(() => digest(data));
  const subtleBoth = await rate(async (i) => digest(await subtle.encryptChunk(i, data)));
  const row = {
    mib: Number(opts.mib),
    fallbackHashMBps: Math.round(jsHash / MB),
    fallbackEncryptHashMBps: Math.round(jsBoth / MB),
    fallbackDecryptMBps: Math.round(jsDecrypt / MB),
    fallbackTimeRatio: Number((jsHash / jsBoth).toFixed(2)),
    subtleHashMBps: Math.round(subtleHash / MB),
    subtleEncryptHashMBps: Math.round(subtleBoth / MB),
    subtleTimeRatio: Number((subtleHash / subtleBoth).toFixed(2)),
    load: loadAverage(),
  };
  console.log(
    `fallback (@noble): hash ${row.fallbackHashMBps} MB/s, encrypt+hash ${row.fallbackEncryptHashMBps} MB/s (time x${row.fallbackTimeRatio}), decrypt ${row.fallbackDecryptMBps} MB/s; ` +
      `WebCrypto (Node): hash ${row.subtleHashMBps} MB/s, encrypt+hash ${row.subtleEncryptHashMBps} MB/s (time x${row.subtleTimeRatio}); load ${row.load}`,
  );
  if (opts.json) console.log(JSON.stringify(row));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
