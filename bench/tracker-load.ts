/**
 * The load side of `npm run bench:tracker`: N real `ws` clients in this process, in swarms of
 * `swarmSize`, speaking either the tracker protocol or the bare baseline's, and two relay phases:
 * closed loop (max throughput) and open loop at a fixed offered rate (latency at that load).
 */
import WebSocket from 'ws';
import { TRACKER_PROTOCOL_VERSION } from '../src/protocol/tracker.ts';

export type Dialect = 'tracker' | 'bare';

/** ~250 bytes, the size of a trickled ICE candidate message. */
const CANDIDATE = 'candidate:842163049 1 udp 1677729535 192.0.2.44 53204 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sXyZ network-cost 999 ' + 'x'.repeat(100);

export class LoadClient {
  ws!: WebSocket;
  id: string | number = -1;
  neighbors: (string | number)[] = [];
  private waiting: ((m: any) => void) | undefined;
  constructor(
    readonly index: number,
    readonly swarm: string,
    readonly swarmIndex: number,
  ) {}

  /** The next non-relay message (welcome, peers, ack). */
  next(): Promise<any> {
    return new Promise((resolve) => (this.waiting = resolve));
  }

  deliver(m: any): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.(m);
  }
}

export interface RelaySink {
  (client: LoadClient, sentAt: number): void;
}

export class Load {
  readonly clients: LoadClient[] = [];
  errors = 0;
  /** Signals sent and relays received, to wait for a quiet network between phases. */
  sent = 0;
  received = 0;
  private closing = false;
  errorCodes = new Map<string, number>();
  sink: RelaySink = () => {};

  constructor(
    readonly dialect: Dialect,
    readonly url: string,
    count: number,
    readonly swarmSize: number,
  ) {
    for (let i = 0; i < count; i++) {
      const s = Math.floor(i / swarmSize);
      const swarm = Buffer.alloc(32);
      swarm.writeUInt32BE(s);
      this.clients.push(new LoadClient(i, swarm.toString('base64url'), s));
    }
  }

  private onMessage(c: LoadClient, text: string): void {
    const m = JSON.parse(text);
    if (this.dialect === 'tracker' ? m.type === 'signal' : m.from !== undefined) {
      this.received++;
      return this.sink(c, m.payload.t);
    }
    if (m.type === 'error') {
      this.errors++;
      this.errorCodes.set(m.code, (this.errorCodes.get(m.code) ?? 0) + 1);
      return;
    }
    c.deliver(m);
  }

  private open(c: LoadClient): Promise<void> {
    return new Promise((resolve, reject) => {
      c.ws = new WebSocket(this.url, { perMessageDeflate: false });
      c.ws.on('message', (data) => this.onMessage(c, data.toString()));
      c.ws.once('open', () => resolve());
      c.ws.once('error', reject);
      c.ws.once('close', (code) => {
        if (!this.closing) {
          this.errors++;
          this.errorCodes.set(`close-${code}`, (this.errorCodes.get(`close-${code}`) ?? 0) + 1);
        }
      });
    });
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
      } else {
        c.id = c.index;
        c.ws.send(JSON.stringify({ reg: c.index }));
        await reply;
        const base = c.swarmIndex * this.swarmSize;
        const size = Math.min(this.swarmSize, this.clients.length - base);
        const others = Array.from({ length: size }, (_, k) => base + k).filter((k) => k !== c.index);
        c.neighbors = others.sort(() => Math.random() - 0.5).slice(0, 30);
      }
    });
  }

  signal(c: LoadClient): void {
    if (c.neighbors.length === 0) return;
    const to = c.neighbors[Math.floor(Math.random() * c.neighbors.length)]!;
    const payload = { t: performance.now(), candidate: CANDIDATE };
    this.sent++;
    c.ws.send(JSON.stringify(this.dialect === 'tracker' ? { type: 'signal', swarm: c.swarm, to, payload } : { to, payload }));
  }

  /** Waits until every signal sent so far has arrived (or `maxMs` passed, or errors ate some). */
  async drain(maxMs = 20_000): Promise<void> {
    const until = performance.now() + maxMs;
    let last = -1;
    let stalls = 0;
    while (this.received + this.errors < this.sent && performance.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
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
  latencies: Float64Array;
}

function recorder(load: Load, onEach?: (c: LoadClient) => void): { stop(): RelayResult; start(): void } {
  const latencies: number[] = [];
  let started = 0;
  let running = false;
  load.sink = (c, sentAt) => {
    if (!running) return;
    latencies.push(performance.now() - sentAt);
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
      return { relays: latencies.length, seconds: (performance.now() - started) / 1000, latencies: Float64Array.from(latencies) };
    },
  };
}

/** Closed loop: `window` signals in flight; each arrival makes its receiver signal a neighbor. */
export async function closedLoop(load: Load, window: number, durationMs: number): Promise<RelayResult> {
  const rec = recorder(load, (c) => load.signal(c));
  rec.start();
  for (let i = 0; i < window; i++) load.signal(load.randomClient());
  await new Promise((r) => setTimeout(r, durationMs));
  const result = rec.stop();
  await load.drain(); // the in-flight window must not spill into the next phase
  return result;
}

/** Open loop: signals from random clients at `rate` per second, whatever the replies do. */
export async function openLoop(load: Load, rate: number, durationMs: number): Promise<RelayResult> {
  const rec = recorder(load);
  rec.start();
  const t0 = performance.now();
  let sent = 0;
  while (performance.now() - t0 < durationMs) {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    for (; sent < due; sent++) load.signal(load.randomClient());
    await new Promise((r) => setTimeout(r, 2));
  }
  await load.drain(); // late arrivals of this phase's sends still count (their latency is the point)
  const result = rec.stop();
  result.seconds = durationMs / 1000;
  return result;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
