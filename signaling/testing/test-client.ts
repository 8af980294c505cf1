/**
 * Test helper (not a test): a real `ws` client with a message queue, so tests can await the next
 * message of a type and assert that nothing else arrived.
 */
import { afterEach, beforeEach } from 'vitest';
import WebSocket from 'ws';
import { startTracker, type Tracker, type TrackerOptions } from '../tracker.ts';
import { TRACKER_PROTOCOL_VERSION } from '../../src/protocol/tracker.ts';

export type Msg = { type: string } & Record<string, any>;

export class TestClient {
  readonly ws: WebSocket;
  readonly received: Msg[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;
  peerId = '';

  constructor(url: string, options?: WebSocket.ClientOptions) {
    this.ws = new WebSocket(url, options);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.ws.on('error', () => {});
    this.ws.on('message', (data) => {
      this.received.push(JSON.parse((data as Buffer).toString()) as Msg);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Connects and says hello; resolves once welcomed. */
  static async connect(url: string): Promise<TestClient> {
    const c = new TestClient(url);
    await c.opened;
    c.send({ type: 'hello', version: TRACKER_PROTOCOL_VERSION });
    c.peerId = (await c.next('welcome')).peerId;
    return c;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next received message (of `type`, if given), removed from the queue; rejects after `ms`. */
  async next(type?: string, ms = 3000): Promise<Msg> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.received.findIndex((m) => type === undefined || m.type === type);
      if (i >= 0) return this.received.splice(i, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no "${type ?? 'any'}" message within ${ms} ms; got ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Announces and returns the peer list. */
  async announce(swarm: string, want?: number): Promise<string[]> {
    this.send(want === undefined ? { type: 'announce', swarm } : { type: 'announce', swarm, want });
    return (await this.next('peers')).peers;
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}

/** A valid swarm id (base64url of 32 bytes) derived from `n`. */
export function swarmId(n: number): string {
  const buf = Buffer.alloc(32);
  buf.writeUInt32BE(n);
  return buf.toString('base64url');
}

/** A round trip through the server: once it answers, every earlier message from `c` was handled. */
export async function roundTrip(c: TestClient): Promise<void> {
  c.send({ type: 'barrier' });
  const reply = await c.next('error');
  if (reply.ref !== 'barrier') throw new Error(`unexpected error before the barrier: ${JSON.stringify(reply)}`);
}

/**
 * A fresh tracker for each test (started with `options`) and `connect()`, which opens a client
 * that is closed after the test. Call at the top of a test file; `harness.tracker` is the running one.
 */
export function useTracker(options: TrackerOptions = {}): {
  readonly tracker: Tracker;
  connect(): Promise<TestClient>;
  open(): TestClient;
} {
  let tracker: Tracker | undefined;
  const clients: TestClient[] = [];
  beforeEach(async () => {
    tracker = await startTracker(options);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await tracker?.close();
  });
  return {
    get tracker() {
      if (!tracker) throw new Error('useTracker: no tracker outside a test');
      return tracker;
    },
    async connect() {
      const c = await TestClient.connect(this.tracker.wsUrl);
      clients.push(c);
      return c;
    },
    /** A client that has not said hello yet (await `opened` before sending). */
    open() {
      const c = new TestClient(this.tracker.wsUrl);
      clients.push(c);
      return c;
    },
  };
}

/**
 * For test files whose tests each start a tracker with their own options: `start` runs one, and
 * after each test its clients, the `onCleanup` callbacks and the tracker are closed.
 */
export function useTrackerPerTest(): {
  start: (options?: TrackerOptions) => Promise<Tracker>;
  connect: (t: Tracker) => Promise<TestClient>;
  open: (t: Tracker) => TestClient;
  onCleanup: (f: () => void) => void;
} {
  let tracker: Tracker | undefined;
  const clients: TestClient[] = [];
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    for (const f of cleanups.splice(0)) f();
    await tracker?.close();
    tracker = undefined;
  });
  return {
    start: async (options = {}) => {
      tracker = await startTracker(options);
      return tracker;
    },
    connect: async (t) => {
      const c = await TestClient.connect(t.wsUrl);
      clients.push(c);
      return c;
    },
    /** A client that has not said hello yet (await `opened` before sending). */
    open: (t) => {
      const c = new TestClient(t.wsUrl);
      clients.push(c);
      return c;
    },
    onCleanup: (f) => void cleanups.push(f),
  };
}
