/**
 * Share-creation benchmark (not a test): prints figures, asserts nothing.
 * For each size (256 MiB and 1 GiB by default, files generated on disk): the time from picking the
 * file on the home page to the share link being shown, and that as MB/s; beside it, measured in the
 * same page right before, the raw crypto.subtle SHA-256 rate over in-memory chunks of the share's
 * chunk size, as many in flight as the app (the baseline), and reading the same File plus hashing
 * it the same way (what the pipeline can at best reach). Ratio = link rate / raw hashing rate. The 256 MiB runs also
 * time the background copy into IndexedDB after the link (until the page says "copied").
 * Usage: npm run bench:share [-- --runs 3 --sizes-mib 256,1024 --json]
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startTracker } from '../signaling/tracker.ts';
import { chooseChunkSize } from '../src/protocol/metadata.ts';
import { HASH_CONCURRENCY, READ_BYTES } from '../src/worker/chunk-pipeline.ts';
import { CHROMIUM_ARGS } from '../e2e/chromium-args.ts';
import { loadAverage } from './cpu-load.ts';

const MiB = 1024 * 1024;
const MB = 1e6;
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'sizes-mib': { type: 'string', default: '256,1024' },
    'copy-max-mib': { type: 'string', default: '256' },
    json: { type: 'boolean', default: false },
    /**
     * Pipeline shapes to compare at the largest size, "lanes x read MiB[:mode]" (e.g. 3x4,6x2:serial):
     * hashing with and without encryption. Modes: chain (the app's: every chunk of a read encrypted
     * at once, each hashed as soon as it is encrypted), serial (a lane encrypts and hashes its
     * chunks one at a time), batch (all of a read encrypted, then all hashed).
     */
    variants: { type: 'string', default: '' },
    /** Rounds of `--variants`, each variant once per round in a rotated order: medians per variant. */
    'variant-rounds': { type: 'string', default: '3' },
  },
});

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** A file of `size` pseudo-random bytes (written in 8 MiB pieces: flat memory). */
async function writeFile(path: string, size: number, seed: number): Promise<void> {
  const out = createWriteStream(path);
  const piece = Buffer.alloc(8 * MiB);
  let x = seed >>> 0 || 1;
  for (let written = 0; written < size; written += piece.length) {
    for (let i = 0; i < piece.length; i += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      piece.writeUInt32LE(x >>> 0, i);
    }
    const n = Math.min(piece.length, size - written);
    if (!out.write(n === piece.length ? piece : piece.subarray(0, n))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** In the page: SHA-256 rate (bytes/s) over `total` bytes of `chunk`-sized pieces, `inFlight` at a time; from memory, or read from a File. */
async function pageHashRate(
  page: Page,
  filePath: string | undefined,
  total: number,
  chunk: number,
  encrypt = false,
  shape: Shape = { lanes: HASH_CONCURRENCY, readBytes: READ_BYTES, mode: 'chain' },
): Promise<number> {
  if (filePath) {
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'bench-file';
      input.style.display = 'none';
      document.body.append(input);
    });
    await page.locator('#bench-file').setInputFiles(filePath);
  }
  return page.evaluate(
    async ({ fromFile, total, chunk, lanes, readBytes, mode, encrypt }) => {
      // A private share's stage before hashing (src/protocol/share-cipher.ts): AES-256-CTR per chunk.
      const key = encrypt
        ? await crypto.subtle.importKey('raw', new Uint8Array(32).fill(7), 'AES-CTR', false, ['encrypt'])
        : undefined;
      const file = fromFile ? (document.getElementById('bench-file') as HTMLInputElement).files![0]! : undefined;
      const group = Math.max(chunk, Math.floor(readBytes / chunk) * chunk);
      const memory = new Uint8Array(group).map((_, i) => (i * 2654435761) >>> 24);
      const groups = Math.ceil(total / group);
      let next = 0;
      const started = performance.now();
      // The app's shape (src/worker/chunk-pipeline.ts): `lanes` reads of `group` bytes in flight,
      // in `mode` (the app: chain). No named functions in here: tsx would wrap them in a
      // helper the page does not have.
      await Promise.all(
        Array.from({ length: lanes }, async () => {
          while (next < groups) {
            const g = next++;
            const end = Math.min(total, (g + 1) * group);
            const bytes = file ? new Uint8Array(await file.slice(g * group, end).arrayBuffer()) : memory;
            const pieces: { piece: Uint8Array<ArrayBuffer>; counter: Uint8Array<ArrayBuffer> }[] = [];
            for (let o = 0; o < end - g * group; o += chunk) {
              const counter = new Uint8Array(16);
              new DataView(counter.buffer).setUint32(4, (g * group + o) / chunk);
              pieces.push({ piece: bytes.subarray(o, Math.min(end - g * group, o + chunk)), counter });
            }
            if (mode === 'serial') {
              for (const p of pieces) {
                const ct = key
                  ? await crypto.subtle.encrypt({ name: 'AES-CTR', counter: p.counter, length: 64 }, key, p.piece)
                  : p.piece;
                await crypto.subtle.digest('SHA-256', ct);
              }
            } else {
              const cts = pieces.map((p) =>
                key
                  ? crypto.subtle.encrypt({ name: 'AES-CTR', counter: p.counter, length: 64 }, key, p.piece)
                  : Promise.resolve(p.piece),
              );
              if (mode === 'batch') {
                const all = await Promise.all(cts);
                await Promise.all(all.map((ct) => crypto.subtle.digest('SHA-256', ct)));
              } else await Promise.all(cts.map((c) => c.then((ct) => crypto.subtle.digest('SHA-256', ct))));
            }
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      document.getElementById('bench-file')?.remove();
      return total / seconds;
    },
    { fromFile: !!filePath, total, chunk, lanes: shape.lanes, readBytes: shape.readBytes, mode: shape.mode, encrypt },
  );
}

/** The share pipeline's shape: reads in flight, bytes per read, how a read's chunks are encrypted and hashed. */
interface Shape {
  lanes: number;
  readBytes: number;
  mode: 'chain' | 'serial' | 'batch';
}

interface Run {
  linkSeconds: number;
  copySeconds?: number;
  subtleMemory: number;
  subtleFile: number;
  /** Reading the File, encrypting and hashing each chunk: what a private share's hash pass does. */
  encryptFile: number;
}

async function oneRun(browser: Browser, base: string, path: string, size: number, timeCopy: boolean): Promise<Run> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/`);
  const chunk = chooseChunkSize(size);
  const subtleMemory = await pageHashRate(page, undefined, Math.min(size, 256 * MiB), chunk);
  const subtleFile = await pageHashRate(page, path, size, chunk);
  const encryptFile = await pageHashRate(page, path, size, chunk, true);
  await page.waitForSelector('[data-testid=share-input]:not([disabled])', { state: 'attached' });
  // The link's time is taken in the page when its element enters the DOM: Playwright's own
  // detection lags it by 0.2-0.35 s on the loaded machine.
  await page.evaluate(() => {
    const seen = window as unknown as { linkAt?: number };
    new MutationObserver((_, observer) => {
      if (!document.querySelector('[data-testid=share-link]')) return;
      seen.linkAt = Date.now();
      observer.disconnect();
    }).observe(document.body, { childList: true, subtree: true });
  });
  const started = Date.now();
  await page.locator('input[type=file][data-testid=share-input]').setInputFiles(path);
  await page.getByTestId('share-link').waitFor({ timeout: 900_000 });
  const linkAt = await page.evaluate(() => (window as unknown as { linkAt?: number }).linkAt);
  const linkSeconds = ((linkAt ?? Date.now()) - started) / 1000;
  let copySeconds: number | undefined;
  if (timeCopy) {
    await page.waitForSelector('[data-testid=share-copy][data-state=copied]', { timeout: 900_000 });
    copySeconds = (Date.now() - started) / 1000 - linkSeconds;
  }
  await context.close();
  return { linkSeconds, copySeconds, subtleMemory, subtleFile, encryptFile };
}

/** Each `--variants` shape's read+hash and read+encrypt+hash rates over the File, in one page, medians of rounds. */
async function compareShapes(browser: Browser, base: string, path: string, size: number): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/`);
  const chunk = chooseChunkSize(size);
  const variants = opts.variants.split(',').map((label) => {
    const [dims, mode = 'chain'] = label.split(':');
    const [lanes, readMiB] = dims!.split('x').map(Number);
    if (!lanes || !readMiB || !['chain', 'serial', 'batch'].includes(mode)) throw new Error(`bad variant ${label}`);
    return { label, shape: { lanes, readBytes: readMiB * MiB, mode: mode as Shape['mode'] } };
  });
  const seen = variants.map(() => ({ hash: [] as number[], enc: [] as number[], ratio: [] as number[] }));
  const rounds = Number(opts['variant-rounds']);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (k + round) % variants.length;
      const { label, shape } = variants[i]!;
      const hash = await pageHashRate(page, path, size, chunk, false, shape);
      const enc = await pageHashRate(page, path, size, chunk, true, shape);
      seen[i]!.hash.push(hash);
      seen[i]!.enc.push(enc);
      seen[i]!.ratio.push(hash / enc);
      console.log(
        `round ${round + 1}, ${label}: hash ${(hash / MB).toFixed(0)} MB/s, encrypt+hash ${(enc / MB).toFixed(0)} MB/s (time x${(hash / enc).toFixed(2)}); load ${loadAverage()}`,
      );
    }
  }
  for (const [i, { label, shape }] of variants.entries()) {
    const s = seen[i]!;
    console.log(
      `${size / MiB} MiB, ${shape.lanes} reads of ${shape.readBytes / MiB} MiB in flight (${shape.mode}), median of ${rounds}: hash ${(median(s.hash) / MB).toFixed(0)} MB/s, encrypt+hash ${(median(s.enc) / MB).toFixed(0)} MB/s, time x${median(s.ratio).toFixed(2)} [${label}]`,
    );
  }
  console.log(`load ${loadAverage()}`);
  await context.close();
}

async function main(): Promise<void> {
  const runs = Number(opts.runs);
  const sizes = opts['sizes-mib'].split(',').map((s) => Number(s) * MiB);
  const dir = mkdtempSync(join(tmpdir(), 'swarmdrop-bench-share-'));
  const tracker = await startTracker({
    port: 0,
    host: '127.0.0.1',
    staticRoot: fileURLToPath(new URL('../dist', import.meta.url)),
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  const figures: Record<string, number | string>[] = [];
  try {
    for (const size of sizes) {
      const path = join(dir, `share-${size / MiB}mib.bin`);
      await writeFile(path, size, size / MiB);
      const results: Run[] = [];
      for (let i = 0; i < runs; i++) {
        const r = await oneRun(browser, tracker.httpUrl, path, size, size <= Number(opts['copy-max-mib']) * MiB);
        results.push(r);
        console.log(
          `${size / MiB} MiB run ${i + 1}: link in ${r.linkSeconds.toFixed(2)} s (${(size / r.linkSeconds / MB).toFixed(0)} MB/s)` +
            `; in-page crypto.subtle ${(r.subtleMemory / MB).toFixed(0)} MB/s from memory, ${(r.subtleFile / MB).toFixed(0)} MB/s reading the File` +
            `, ${(r.encryptFile / MB).toFixed(0)} MB/s reading, encrypting and hashing it` +
            (r.copySeconds !== undefined ? `; background copy done ${r.copySeconds.toFixed(1)} s after the link` : '') +
            `; load ${loadAverage()}`,
        );
      }
      if (opts.variants && size === sizes.at(-1)) await compareShapes(browser, tracker.httpUrl, path, size);
      rmSync(path);
      const link = median(results.map((r) => r.linkSeconds));
      const mem = median(results.map((r) => r.subtleMemory));
      const file = median(results.map((r) => r.subtleFile));
      const enc = median(results.map((r) => r.encryptFile));
      const copies = results.flatMap((r) => (r.copySeconds === undefined ? [] : [r.copySeconds]));
      const row = {
        sizeMiB: size / MiB,
        linkSeconds: Number(link.toFixed(2)),
        linkMBps: Number((size / link / MB).toFixed(0)),
        subtleMemoryMBps: Number((mem / MB).toFixed(0)),
        subtleFileMBps: Number((file / MB).toFixed(0)),
        ratioToSubtle: Number((size / link / mem).toFixed(2)),
        ratioToFileHash: Number((size / link / file).toFixed(2)),
        encryptFileMBps: Number((enc / MB).toFixed(0)),
        /** Time to link over the same page's bare read+encrypt+hash time: the pipeline's overhead. */
        linkOverEncryptFile: Number((link / (size / enc)).toFixed(2)),
        /** Time of read+encrypt+hash over read+hash (goal <= 1.3). */
        encryptCostRatio: Number((file / enc).toFixed(2)),
        ...(copies.length ? { copySecondsAfterLink: Number(median(copies).toFixed(1)) } : {}),
        load: loadAverage(),
      };
      figures.push(row);
      console.log(
        `\n${size / MiB} MiB: median link ${row.linkSeconds} s = ${row.linkMBps} MB/s; in-page crypto.subtle ${row.subtleMemoryMBps} MB/s (memory), ${row.subtleFileMBps} MB/s (File); ratio ${row.ratioToSubtle} / ${row.ratioToFileHash}; encrypting too ${row.encryptFileMBps} MB/s (time x${row.encryptCostRatio})\n`,
      );
    }
    if (opts.json) for (const f of figures) console.log(JSON.stringify(f));
  } finally {
    await browser.close();
    await tracker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
