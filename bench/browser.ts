/**
 * Browser benchmark (not a test): prints figures, asserts nothing.
 *  1. The raw RTCDataChannel throughput between two pages (this machine's ceiling), and the app's
 *     goodput for a 128 MiB file, one sharer, one downloader, in the same run; and their ratio.
 *  2. Swarm: 8 downloaders, 16 MiB, every upload capped at 512 KiB/s: distribution time, the P2P
 *     lower bound max{F/u_s, F/d_min, NF/(u_s + sum u_i)} and the ratio.
 * Usage: npm run bench:browser [-- --runs 3 --size-mib 128 --swarm-runs 1]
 *        --swarm-only: skip 1. (d_min for the bound is then taken as unbounded: F/u_s dominates anyway);
 *        --no-plain: skip the swarm case with the sharer's super-seeding off;
 *        --tracker-process: the tracker (and static server) in a process of its own session, hence its
 *        own autogroup, as a separate machine would be (default: in this process, beside Playwright).
 *        --relayed: also the pair with both pages on "Relay only" through a coturn on 127.0.0.1 (TURN
 *        REST credentials from the tracker, as `TURN_URLS`/`TURN_SECRET` give them; bench/coturn.ts),
 *        in each run after the direct pair, then the same over TURN/TCP only; prints relayed/direct
 *        (goal >= 0.8). And the swarm (sharer super-seeding)
 *        again with a third of the downloaders on "Relay only": its ratio to the bound (goal <= 1.3)
 *        and to the all-direct swarm of the same run.
 * `--json` prints one line of medians, which `npm run bench` writes into docs/BENCHMARKS.md.
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { iceServersFor } from '../signaling/ice-servers.ts';
import { startTracker } from '../signaling/tracker.ts';
import { cpuBusySince, loadAverage } from './cpu-load.ts';
import { formatTimelines, readTimeline, recordTimeline } from './page-timeline.ts';
import { cpuSecondsOf, dropsByProcess, formatUdp, udpSince } from './udp-drops.ts';
import { startCoturn, type TurnConfig } from './coturn.ts';
import { CHROMIUM_ARGS, LOOPBACK_WEBRTC_ARG } from '../e2e/chromium-args.ts';

const MiB = 1024 * 1024;
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'size-mib': { type: 'string', default: '128' },
    'swarm-runs': { type: 'string', default: '1' },
    'swarm-n': { type: 'string', default: '8' },
    'swarm-mib': { type: 'string', default: '16' },
    'cap-kib': { type: 'string', default: '512' },
    json: { type: 'boolean', default: false },
    'swarm-only': { type: 'boolean', default: false },
    'no-plain': { type: 'boolean', default: false },
    'tracker-process': { type: 'boolean', default: false },
    relayed: { type: 'boolean', default: false },
  },
});

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function peerContext(
  browser: Browser,
  base: string,
  flags: object = {},
  timeline = false,
  relayOnly = false,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  if (relayOnly) await context.addInitScript(() => localStorage.setItem('swarmdrop.relayOnly', '1'));
  if (timeline) await recordTimeline(context); // before the page exists: init scripts apply to pages made after
  await context.grantPermissions(['camera', 'microphone'], { origin: base });
  if (Object.keys(flags).length)
    await context.addInitScript((f) => localStorage.setItem('swarmdrop.testFlags', f), JSON.stringify(flags));
  return { context, page: await context.newPage() };
}

/** Raw channel: page A sends `bytes` to page B in 64 KiB messages, 4 MiB high-water mark. */
async function rawChannel(browser: Browser, base: string, bytes: number): Promise<number> {
  const a = await peerContext(browser, base);
  const b = await peerContext(browser, base);
  await Promise.all([a.page.goto(`${base}/healthz`), b.page.goto(`${base}/healthz`)]);
  const offer = await a.page.evaluate(async () => {
    const pc = new RTCPeerConnection();
    (globalThis as any).pc = pc;
    (globalThis as any).ch = pc.createDataChannel('raw', { negotiated: true, id: 7 });
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((r) => (pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r()));
    return pc.localDescription!.toJSON();
  });
  const answer = await b.page.evaluate(async (offer) => {
    const pc = new RTCPeerConnection();
    const ch = pc.createDataChannel('raw', { negotiated: true, id: 7 });
    ch.binaryType = 'arraybuffer';
    (globalThis as any).received = 0;
    ch.onmessage = (e) => ((globalThis as any).received += (e.data as ArrayBuffer).byteLength);
    await pc.setRemoteDescription(offer);
    await pc.setLocalDescription(await pc.createAnswer());
    await new Promise<void>((r) => (pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r()));
    (globalThis as any).pc = pc;
    return pc.localDescription!.toJSON();
  }, offer);
  await a.page.evaluate(async (answer) => {
    const g = globalThis as any;
    await g.pc.setRemoteDescription(answer);
    if (g.ch.readyState !== 'open') await new Promise((r) => (g.ch.onopen = r));
  }, answer);
  const started = Date.now();
  const send = a.page.evaluate(async (total) => {
    const ch = (globalThis as any).ch as RTCDataChannel;
    const msg = new Uint8Array(64 * 1024);
    ch.bufferedAmountLowThreshold = 1 << 20;
    let sent = 0;
    while (sent < total) {
      while (ch.bufferedAmount < 4 * 1024 * 1024 && sent < total) {
        ch.send(msg);
        sent += msg.length;
      }
      await new Promise((r) => (ch.onbufferedamountlow = r));
    }
  }, bytes);
  await b.page.waitForFunction((total) => (globalThis as any).received >= total, bytes, {
    timeout: 600_000,
    polling: 50,
  });
  const seconds = (Date.now() - started) / 1000;
  await send;
  await Promise.all([a.context.close(), b.context.close()]);
  return bytes / seconds;
}

async function shareFile(page: Page, base: string, path: string): Promise<string> {
  await page.goto(`${base}/`);
  await page.waitForSelector('[data-testid=tracker-status][data-status=open]');
  await page.locator('input[type=file][data-testid=share-input]').setInputFiles(path);
  const link = page.getByTestId('share-link');
  await link.waitFor({ timeout: 600_000 });
  // The background copy into IndexedDB done first: goodput is measured without it competing for the CPU.
  await page.waitForSelector('[data-testid=share-copy][data-state=copied]', { timeout: 600_000 });
  return (await link.textContent())!.trim();
}

/** Resolves at the time (ms) a page holds every chunk (progress 100 or complete). */
async function whenAllChunks(page: Page, polling = 50): Promise<number> {
  await page.waitForFunction(
    () =>
      !!document.querySelector('[data-testid=download-complete]') ||
      document.querySelector('[data-testid=progress]')?.getAttribute('aria-valuenow') === '100',
    undefined,
    { timeout: 900_000, polling },
  );
  return Date.now();
}

async function appGoodput(
  browser: Browser,
  base: string,
  path: string,
  bytes: number,
  relayOnly = false,
): Promise<{ goodput: number; total: number; udp: string }> {
  const sharer = await peerContext(browser, base, {}, false, relayOnly);
  const link = await shareFile(sharer.page, base, path);
  const down = await peerContext(browser, base, {}, false, relayOnly);
  const udp = udpSince();
  const turnCpu = cpuSecondsOf(coturnPid);
  const opened = Date.now();
  await down.page.goto(link);
  // Transfer time: from the first verified chunk to the last (connection setup excluded).
  await down.page.waitForFunction(
    () => Number(document.querySelector('[data-testid=progress]')?.getAttribute('aria-valuenow') ?? 0) > 0,
    undefined,
    { timeout: 120_000, polling: 20 },
  );
  const first = Date.now();
  const done = await whenAllChunks(down.page);
  const turnBusy = relayOnly ? (cpuSecondsOf(coturnPid) ?? NaN) - (turnCpu ?? NaN) : NaN;
  const datagrams =
    formatUdp(udp()) +
    `, dropped so far by ${JSON.stringify(dropsByProcess())}` +
    (relayOnly ? `; coturn CPU ${turnBusy.toFixed(1)} s in ${((done - opened) / 1000).toFixed(1)} s` : '');
  if (relayOnly) {
    const route = await down.page.locator('[data-testid=peer-row][data-origin=true]').getAttribute('data-route');
    if (route !== 'relay') throw new Error(`the relayed pair went ${route}, not through the relay`);
  }
  await Promise.all([sharer.context.close(), down.context.close()]);
  // The first percent arrived before `first`: count it.
  return {
    goodput: (bytes * 0.99) / ((done - first) / 1000),
    total: bytes / ((done - opened) / 1000),
    udp: datagrams,
  };
}

async function swarm(
  browser: Browser,
  base: string,
  path: string,
  n: number,
  cap: number,
  superSeed = false,
  relayOnly = 0,
): Promise<number> {
  const flags = { uploadLimit: cap };
  const sharer = await peerContext(browser, base, { ...flags, superSeed });
  const link = await shareFile(sharer.page, base, path);
  // The first `relayOnly` downloaders reach everyone through the TURN server only.
  const peers = await Promise.all(
    Array.from({ length: n }, (_, i) => peerContext(browser, base, flags, true, i < relayOnly)),
  );
  const cpu = cpuBusySince();
  const udp = udpSince();
  const started = Date.now();
  await Promise.all(peers.map((p) => p.page.goto(link)));
  // The page itself notes when it holds every chunk (its recorder checks every 20 ms); Playwright
  // only looks every 500 ms, so 8 pages' polling costs the starved CPU little and the time stays exact.
  await Promise.all(peers.map((p) => whenAllChunks(p.page, 500)));
  const busy = cpu();
  const datagrams = `${formatUdp(udp())}, dropped so far by ${JSON.stringify(dropsByProcess())}`;
  const timelines = await Promise.all(peers.map((p) => readTimeline(p.page)));
  const seconds = (Math.max(...timelines.map((t) => t.done!)) - started) / 1000;
  for (const p of peers.slice(0, relayOnly)) {
    const kinds = await p.page
      .locator('[data-testid=peer-row]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-route')));
    if (kinds.some((k) => k && k !== 'relay')) throw new Error(`a relay-only page went direct: ${kinds.join(', ')}`);
  }
  await Promise.all([sharer, ...peers].map((p) => p.context.close()));
  console.log(
    `swarm run: ${seconds.toFixed(1)} s; CPU busy ${busy === undefined ? '?' : `${(busy * 100).toFixed(0)} %`} of all cores, load ${loadAverage()}; ${datagrams}; per page, s after opening the link:`,
  );
  console.log(formatTimelines(timelines, started));
  return seconds;
}

/** The tracker serving the built app: here, or (--tracker-process) `signaling/main.ts` in its own session. */
async function startServer(turn?: TurnConfig): Promise<{ httpUrl: string; close(): Promise<void> }> {
  if (!opts['tracker-process'] || turn) {
    const tracker = await startTracker({
      port: 0,
      host: '127.0.0.1',
      iceServers: turn ? (req) => iceServersFor(req.headers.host, { turn, iceServers: [] }) : [],
      staticRoot: fileURLToPath(new URL('../dist', import.meta.url)),
      limits: { maxConnectionsPerIp: 1000 },
    });
    return { httpUrl: tracker.httpUrl, close: () => tracker.close() };
  }
  const child = spawn(
    'setsid',
    [
      'node',
      '--import',
      'tsx',
      fileURLToPath(new URL('../signaling/main.ts', import.meta.url)),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
    ],
    {
      env: { ...process.env, TRACKER_MAX_CONNECTIONS_PER_IP: '1000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const httpUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`the tracker exited (${code}) before it listened`)));
  });
  return {
    httpUrl,
    close: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/** The coturn process's id, for its CPU time during the relayed runs. */
let coturnPid: number | undefined;

async function main(): Promise<void> {
  const runs = Number(opts.runs);
  const size = Number(opts['size-mib']) * MiB;
  const n = Number(opts['swarm-n']);
  const swarmSize = Number(opts['swarm-mib']) * MiB;
  const cap = Number(opts['cap-kib']) * 1024;
  const dir = mkdtempSync(join(tmpdir(), 'swarmdrop-bench-'));
  const big = join(dir, 'big.bin');
  const small = join(dir, 'swarm.bin');
  writeFileSync(
    big,
    Buffer.alloc(size, 0).map((_, i) => (i * 2654435761) >>> 24),
  );
  writeFileSync(
    small,
    Buffer.alloc(swarmSize, 0).map((_, i) => (i * 40503 + 7) >>> 8),
  );

  const coturn = opts.relayed ? await startCoturn() : undefined;
  coturnPid = coturn?.pid;
  const tracker = await startServer(coturn?.turn);
  const base = tracker.httpUrl;
  // The same coturn offered over TCP only: the relayed pair over TURN/TCP, in the same runs.
  const tcpTracker = coturn ? await startServer(coturn.tcpOnly) : undefined;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, LOOPBACK_WEBRTC_ARG],
  });
  try {
    const raw: number[] = [];
    const app: number[] = [];
    const appTotal: number[] = [];
    const relayed: number[] = [];
    const relayedTcp: number[] = [];
    for (let i = 0; i < (opts['swarm-only'] ? 0 : runs); i++) {
      raw.push(await rawChannel(browser, base, size));
      const g = await appGoodput(browser, base, big, size);
      app.push(g.goodput);
      appTotal.push(g.total);
      const r = coturn ? await appGoodput(browser, base, big, size, true) : undefined;
      if (r) relayed.push(r.goodput);
      const rt = tcpTracker ? await appGoodput(browser, tcpTracker.httpUrl, big, size, true) : undefined;
      if (rt) relayedTcp.push(rt.goodput);
      console.log(
        `run ${i + 1}: raw ${(raw[i]! / MiB).toFixed(2)} MiB/s, app goodput ${(app[i]! / MiB).toFixed(2)} MiB/s (incl. setup ${(appTotal[i]! / MiB).toFixed(2)}; ${g.udp})` +
          (r ? `, relayed through coturn ${(r.goodput / MiB).toFixed(2)} MiB/s (${r.udp})` : '') +
          (rt ? `, relayed over TURN/TCP ${(rt.goodput / MiB).toFixed(2)} MiB/s (${rt.udp})` : ''),
      );
    }
    const rawMed = raw.length ? median(raw) : NaN;
    const appMed = app.length ? median(app) : NaN;
    if (raw.length) console.log(`\nraw data channel, ${size / MiB} MiB: median ${(rawMed / MiB).toFixed(2)} MiB/s`);
    if (raw.length)
      console.log(
        `app goodput, ${size / MiB} MiB, 1 sharer 1 downloader: median ${(appMed / MiB).toFixed(2)} MiB/s (incl. connection setup ${(median(appTotal) / MiB).toFixed(2)})`,
      );
    if (raw.length) console.log(`ratio app/raw: ${(appMed / rawMed).toFixed(2)} (goal >= 0.85)`);
    if (relayed.length)
      console.log(
        `relayed pair (both "Relay only", coturn on 127.0.0.1): median ${(median(relayed) / MiB).toFixed(2)} MiB/s; relayed/direct ${(median(relayed) / appMed).toFixed(2)} (goal >= 0.8)`,
      );
    if (relayedTcp.length)
      console.log(
        `relayed pair over TURN/TCP only: median ${(median(relayedTcp) / MiB).toFixed(2)} MiB/s; relayed/direct ${(median(relayedTcp) / appMed).toFixed(2)}`,
      );

    const F = swarmSize;
    const dMin = rawMed > 0 ? rawMed : Infinity; // downloads are not capped: the channel ceiling stands in for d_min
    const bound = Math.max(F / cap, F / dMin, (n * F) / (cap + n * cap));
    let t = NaN;
    const swarmCases = Number(opts['swarm-runs']) > 0 ? (opts['no-plain'] ? [true] : [false, true]) : []; // --swarm-runs 0: pairs only
    for (const superSeed of swarmCases) {
      const times: number[] = [];
      for (let i = 0; i < Number(opts['swarm-runs']); i++)
        times.push(await swarm(browser, base, small, n, cap, superSeed));
      const m = median(times);
      if (superSeed) t = m; // the app's default since super-seeding became the origin's default
      console.log(
        `\nswarm: ${n} downloaders, ${swarmSize / MiB} MiB, uploads capped at ${cap / 1024} KiB/s${superSeed ? ', sharer super-seeding (default)' : ', sharer plain seeding (superSeed: false)'}`,
      );
      console.log(`distribution time: median ${m.toFixed(1)} s (runs: ${times.map((x) => x.toFixed(1)).join(', ')})`);
      console.log(`P2P bound max{F/u_s, F/d_min, NF/(u_s+sum u_i)}: ${bound.toFixed(1)} s`);
      console.log(`ratio: ${(m / bound).toFixed(2)} (goal <= 1.25)`);
    }
    if (coturn && swarmCases.includes(true)) {
      const third = Math.round(n / 3);
      const times: number[] = [];
      for (let i = 0; i < Number(opts['swarm-runs']); i++)
        times.push(await swarm(browser, base, small, n, cap, true, third));
      const m = median(times);
      console.log(`\nswarm, ${third} of the ${n} downloaders "Relay only" (coturn on 127.0.0.1), sharer super-seeding`);
      console.log(`distribution time: median ${m.toFixed(1)} s (runs: ${times.map((x) => x.toFixed(1)).join(', ')})`);
      console.log(
        `ratio to the bound: ${(m / bound).toFixed(2)} (goal <= 1.3); to the all-direct swarm: ${(m / t).toFixed(2)}`,
      );
    }
    if (opts.json) {
      console.log(
        JSON.stringify({
          rawMiBps: rawMed / MiB,
          appMiBps: appMed / MiB,
          ratio: appMed / rawMed,
          swarmSeconds: t,
          boundSeconds: bound,
          swarmRatio: t / bound,
        }),
      );
    }
  } finally {
    await browser.close();
    await tracker.close();
    await tcpTracker?.close();
    coturn?.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
