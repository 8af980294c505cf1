/**
 * The load side of `npm run bench:tracker`: N WebSocket clients in this process, in swarms of
 * `swarmSize`, speaking either the tracker protocol or the bare baseline's, and two relay phases:
 * closed loop (max throughput) and open loop at a fixed offered rate (latency at that load).
 * The clients are raw sockets (bench/tracker-raw-socket.ts), not `ws` clients: the generator is
 * measurement apparatus and must leave the CPU to the server it measures. Each signal carries a
 * sequence number; its send time stays here, so an arrival costs a search for `"seq":` and a few
 * digits instead of a UTF-8 decode and JSON.parse.
 */
import { TRACKER_PROTOCOL_VERSION } from '../src/protocol/tracker.ts';
import { encodeFrame, OP_TEXT, RawWebSocket } from './tracker-raw-socket.ts';

export type Dialect = 'tracker' | 'bare';

/**
 * How the generator waits between sends. `spin` (the default) keeps its thread awake: on loopback
 * the server's write of a relay also delivers it into the receiving socket and, if the generator
 * sleeps in epoll, wakes it: work inside the server's write that a remote client's own machine
 * would do, and a wake-up delay in every latency measured.
 * Spinning also spreads the open loop's sends evenly instead of ~20 at a time on a 1 ms timer.
 * `sleep` waits on timers instead, for comparison. See docs/BENCHMARKS.md, Tracker.
 */
export type GeneratorWait = 'spin' | 'sleep';

/** ~250 bytes, the size of a trickled ICE candidate message. */
const CANDIDATE =
  'candidate:842163049 1 udp 1677729535 192.0.2.44 53204 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sXyZ network-cost 999 ' +
  'x'.repeat(100);
/** Send times by sequence number (a ring: far more than can be in flight at once). */
const RING = 1 << 21;
const SEQ = Buffer.from('"seq":');
const TRACKER_RELAY = Buffer.from('{"type":"signal"');
const BARE_RELAY = Buffer.from('{"from"');
const CHAR_0 = 48;

export class LoadClient {
  ws!: RawWebSocket;
  id: string | number = -1;
  neighbors: (string | number)[] = [];
  /** The start of this client's signal frames, up to the target's id. */
  prefix = '';
  private waiting: { resolve: (m: any) => void; reject: (e: Error) => void } | undefined;
  private closedWith: Error | undefined;
  constructor(
    readonly index: number,
    readonly swarm: string,
    readonly swarmIndex: number,
  ) {}

  /** The next non-relay message (welcome, peers, ack); rejects once the connection is closed. */
  next(): Promise<any> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  deliver(m: any): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve(m);
  }

  /** The tracker closed this connection (e.g. full): whoever waits for an answer hears it. */
  closed(code: number): void {
    this.closedWith = new Error(`client ${this.index}: the tracker closed the connection (${code})`);
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(this.closedWith);
  }
}

export interface RelaySink {
  (client: LoadClient, sentAt: number): void;
}

/** 128 clients per loopback address (127.1.x.y): ephemeral ports never run short. */
export const spreadSources = (i: number) => `127.1.${(i >> 7) & 255}.${1 + (i & 127)}`;

export class Load {
  readonly clients: LoadClient[] = [];
  errors = 0;
  /** Signals sent and relays received, to wait for a quiet network between phases. */
  sent = 0;
  received = 0;
  private closing = false;
  errorCodes = new Map<string, number>();
  sink: RelaySink = () => {};
  private readonly sentAt = new Float64Array(RING);
  /** Client i connects to ports[i % ports.length] (several tracker instances share the clients). */
  private readonly ports: number[];
  private readonly path: string;
  private readonly relayStart: Buffer;

  constructor(
    readonly dialect: Dialect,
    url: string | string[],
    count: number,
    readonly swarmSize: number,
    readonly wait: GeneratorWait = 'spin',
    /** Swarm numbers start here (generators in several processes keep their swarms apart). */
    firstSwarm = 0,
    /**
     * Client i's source address (default 127.0.0.1). Tens of thousands of clients from one address
     * to one port can run out of ephemeral ports on a machine where other work holds many.
     */
    private readonly sourceAddress: (i: number) => string = () => '127.0.0.1',
  ) {
    const urls = (Array.isArray(url) ? url : [url]).map((u) => new URL(u));
    this.ports = urls.map((u) => Number(u.port));
    this.path = urls[0]!.pathname;
    this.relayStart = dialect === 'tracker' ? TRACKER_RELAY : BARE_RELAY;
    for (let i = 0; i < count; i++) {
      const s = firstSwarm + Math.floor(i / swarmSize);
      const swarm = Buffer.alloc(32);
      swarm.writeUInt32BE(s);
      this.clients.push(new LoadClient(i, swarm.toString('base64url'), s));
    }
  }

  private onFrame(c: LoadClient, op: number, buf: Buffer, start: number, end: number): void {
    if (op !== OP_TEXT) return;
    if (buf.compare(this.relayStart, 0, this.relayStart.length, start, start + this.relayStart.length) === 0) {
      const at = buf.indexOf(SEQ, start);
      if (at >= 0 && at < end) {
        let seq = 0;
        for (let i = at + SEQ.length; i < end; i++) {
          const d = buf[i]! - CHAR_0;
          if (d < 0 || d > 9) break;
          seq = seq * 10 + d;
        }
        this.received++;
        return this.sink(c, this.sentAt[seq % RING]!);
      }
    }
    const m = JSON.parse(buf.toString('utf8', start, end));
    if (m.type === 'error') {
      this.errors++;
      this.errorCodes.set(m.code, (this.errorCodes.get(m.code) ?? 0) + 1);
      return;
    }
    c.deliver(m);
  }

  private async open(c: LoadClient): Promise<void> {
    c.ws = new RawWebSocket(
      this.ports[c.index % this.ports.length]!,
      this.path,
      (op, buf, start, end) => this.onFrame(c, op, buf, start, end),
      (code) => {
        c.closed(code);
        if (!this.closing) {
          this.errors++;
          this.errorCodes.set(`close-${code}`, (this.errorCodes.get(`close-${code}`) ?? 0) + 1);
        }
      },
      this.sourceAddress(c.index),
    );
    await c.ws.opened;
  }

  private async inBatches(fn: (c: LoadClient) => Promise<void>, batch = 250): Promise<void> {
    for (let i = 0; i < this.clients.length; i += batch) await Promise.all(this.clients.slice(i, i + batch).map(fn));
  }

  /** Connects everyone; tracker clients also say hello and announce (the idle state measured). */
  async join(): Promise<void> {
    await this.inBatches(async (c) => {
      await this.open(c);
      if (this.dialect === 'bare') return;
      const welcome = c.next();
      c.ws.send(JSON.stringify({ type: 'hello', version: TRACKER_PROTOCOL_VERSION }));
      c.id = (await welcome).peerId;
      const peers = c.next();
      c.ws.send(JSON.stringify({ type: 'announce', swarm: c.swarm }));
      await peers;
    });
  }

  /** Gets each client its neighbor list: a fresh announce (tracker), or registration (bare). */
  async prepareRelay(): Promise<void> {
    await this.inBatches(async (c) => {
      const reply = c.next();
      if (this.dialect === 'tracker') {
        c.ws.send(JSON.stringify({ type: 'announce', swarm: c.swarm }));
        c.neighbors = (await reply).peers;
        c.prefix = `{"type":"signal","swarm":"${c.swarm}","to":"`;
      } else {
        c.id = c.index;
        c.ws.send(JSON.stringify({ reg: c.index }));
        await reply;
        const base = c.swarmIndex * this.swarmSize;
        const size = Math.min(this.swarmSize, this.clients.length - base);
        const others = Array.from({ length: size }, (_, k) => base + k).filter((k) => k !== c.index);
        c.neighbors = others.sort(() => Math.random() - 0.5).slice(0, 30);
        c.prefix = '{"to":';
      }
    });
  }

  /** One signal from `c` to a random neighbor: the same JSON a `ws` client would send, ~330 bytes. */
  signal(c: LoadClient): void {
    if (c.neighbors.length === 0) return;
    const to = c.neighbors[Math.floor(Math.random() * c.neighbors.length)]!;
    const seq = this.sent++;
    this.sentAt[seq % RING] = performance.now();
    const head = this.dialect === 'tracker' ? `${c.prefix}${to}","payload":` : `${c.prefix}${to},"payload":`;
    c.ws.sendFrame(encodeFrame(`${head}{"seq":${seq},"candidate":"${CANDIDATE}"}}`));
  }

  /** Waits `ms` (at least one turn of the event loop) the way `wait` says. */
  async pause(ms: number): Promise<void> {
    if (this.wait === 'sleep') return new Promise((r) => setTimeout(r, ms));
    const until = performance.now() + ms;
    do await new Promise((r) => setImmediate(r));
    while (performance.now() < until);
  }

  /** Waits until every signal sent so far has arrived (or `maxMs` passed, or errors ate some). */
  async drain(maxMs = 20_000): Promise<void> {
    const until = performance.now() + maxMs;
    let last = -1;
    let stalls = 0;
    while (this.received + this.errors < this.sent && performance.now() < until) {
      await this.pause(50);
      stalls = this.received === last ? stalls + 1 : 0; // nothing arriving for 2 s: give up
      if (stalls > 40) break;
      last = this.received;
    }
  }

  randomClient(): LoadClient {
    return this.clients[Math.floor(Math.random() * this.clients.length)]!;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const c of this.clients) c.ws.terminate();
  }
}

export interface RelayResult {
  relays: number;
  seconds: number;
  /** Sorted; signals still undelivered after the drain count as Infinity (JSON: null). */
  latencies: Float64Array;
  /** Open loop only: latency by when the signal was sent, in steps of TIMELINE_STEP_MS. */
  timeline?: TimelineStep[];
  /** When the phase started, ms since the epoch (to line server events up with the timeline). */
  startedEpochMs: number;
}

export const TIMELINE_STEP_MS = 100;
export interface TimelineStep {
  /** ms after the phase started (the step's start) */
  t: number;
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Per-step percentiles by send time: whether a phase's tail is spread out or a few episodes. */
function timelineOf(sentAt: number[], latencies: number[], started: number): TimelineStep[] {
  const steps: number[][] = [];
  for (let i = 0; i < sentAt.length; i++)
    (steps[Math.floor((sentAt[i]! - started) / TIMELINE_STEP_MS)] ??= []).push(latencies[i]!);
  const out: TimelineStep[] = [];
  for (let k = 0; k < steps.length; k++) {
    const xs = Float64Array.from(steps[k] ?? []).sort();
    if (xs.length > 0)
      out.push({
        t: k * TIMELINE_STEP_MS,
        count: xs.length,
        p50: percentile(xs, 50),
        p99: percentile(xs, 99),
        max: xs[xs.length - 1]!,
      });
  }
  return out;
}

function recorder(load: Load, onEach?: (c: LoadClient) => void): { stop(): RelayResult; start(): void } {
  const latencies: number[] = [];
  const sentTimes: number[] = [];
  let started = 0;
  let running = false;
  load.sink = (c, sentAt) => {
    if (!running) return;
    latencies.push(performance.now() - sentAt);
    sentTimes.push(sentAt);
    onEach?.(c);
  };
  return {
    start() {
      started = performance.now();
      running = true;
    },
    stop() {
      running = false;
      load.sink = () => {};
      return {
        relays: latencies.length,
        seconds: (performance.now() - started) / 1000,
        latencies: Float64Array.from(latencies),
        timeline: timelineOf(sentTimes, latencies, started),
        startedEpochMs: performance.timeOrigin + started,
      };
    },
  };
}

/** Closed loop: `window` signals in flight; each arrival makes its receiver signal a neighbor. */
export async function closedLoop(load: Load, window: number, durationMs: number): Promise<RelayResult> {
  const rec = recorder(load, (c) => load.signal(c));
  rec.start();
  for (let i = 0; i < window; i++) load.signal(load.randomClient());
  await load.pause(durationMs);
  const result = rec.stop();
  await load.drain(); // the in-flight window must not spill into the next phase
  return result;
}

/** Open loop: signals from random clients at `rate` per second, whatever the replies do; sent on
 * every turn of the event loop when spinning, every 1 ms timer otherwise. */
export async function openLoop(load: Load, rate: number, durationMs: number): Promise<RelayResult> {
  const rec = recorder(load);
  rec.start();
  const t0 = performance.now();
  let sent = 0;
  while (performance.now() - t0 < durationMs) {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    for (; sent < due; sent++) load.signal(load.randomClient());
    await load.pause(load.wait === 'spin' ? 0 : 1);
  }
  await load.drain(); // late arrivals of this phase's sends still count (their latency is the point)
  const result = rec.stop();
  result.seconds = durationMs / 1000;
  const missing = Math.max(0, sent - result.relays);
  if (missing > 0) {
    const all = new Float64Array(result.relays + missing).fill(Infinity);
    all.set(result.latencies);
    result.latencies = all;
  }
  result.latencies.sort();
  return result;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
