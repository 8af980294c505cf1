/** TrackerClient in Node, with `ws` as its WebSocket, against the real tracker (and a rogue server). */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startTracker, type Tracker } from '../../signaling/tracker.ts';
import {
  backoffDelay,
  TrackerClient,
  trackerUrl,
  type TrackerClientError,
  type TrackerStatus,
} from './tracker-client.ts';

const Impl = WebSocket as unknown as typeof globalThis.WebSocket;
const swarm = Buffer.alloc(32, 1).toString('base64url');
const trackers: Tracker[] = [];
const clients: TrackerClient[] = [];

async function tracker(port = 0): Promise<Tracker> {
  const t = await startTracker({ port, log: () => {} });
  trackers.push(t);
  return t;
}
function client(url: string): TrackerClient {
  const c = new TrackerClient({ url, WebSocketImpl: Impl, minBackoffMs: 20, maxBackoffMs: 200 });
  clients.push(c);
  return c;
}
/** Resolves with the next value a subscription delivers. */
function next<A extends unknown[]>(
  on: (cb: (...args: A) => void) => () => void,
  pred: (...args: A) => boolean = () => true,
): Promise<A> {
  return new Promise((resolve) => {
    const off = on((...args) => {
      if (!pred(...args)) return;
      off();
      resolve(args);
    });
  });
}
const opened = (c: TrackerClient) =>
  c.status === 'open' ? Promise.resolve() : next(c.onStatus.bind(c), (s) => s === 'open').then(() => {});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const t of trackers.splice(0)) await t.close();
});

describe('TrackerClient against the real tracker', () => {
  it('says hello, announces, relays signals and hears peer-gone', async () => {
    const t = await tracker();
    const a = client(t.wsUrl);
    const statuses: TrackerStatus[] = [a.status];
    a.onStatus((s) => statuses.push(s));
    const [welcomed] = await next(a.onWelcome.bind(a));
    expect(a.peerId).toBe(welcomed);
    expect(statuses).toEqual(['connecting', 'open']);
    const b = client(t.wsUrl);
    await opened(b);

    const aPeers = next(a.onPeers.bind(a));
    a.announce(swarm);
    expect(await aPeers).toEqual([swarm, []]);
    const bPeers = next(b.onPeers.bind(b));
    b.announce(swarm, 10);
    expect(await bPeers).toEqual([swarm, [a.peerId]]);

    const got = next(a.onSignal.bind(a));
    b.signal(swarm, a.peerId!, { sdp: 'offer' });
    expect(await got).toEqual([swarm, b.peerId, { sdp: 'offer' }]);

    const gone = next(a.onPeerGone.bind(a));
    b.leave(swarm);
    expect(await gone).toEqual([swarm, b.peerId]);
  });

  it('reports tracker errors and local mistakes through onError', async () => {
    const t = await tracker();
    const a = client(t.wsUrl);
    const errors: TrackerClientError[] = [];
    a.onError((e) => errors.push(e));
    a.signal(swarm, 'AAAAAAAAAAAAAAAA', 1); // before welcome
    expect(errors.at(-1)).toMatchObject({ code: 'not-connected' });
    await opened(a);
    a.announce('not-a-swarm');
    expect(errors.at(-1)).toMatchObject({ code: 'bad-swarm' });
    const refused = next(a.onError.bind(a));
    a.signal(swarm, 'AAAAAAAAAAAAAAAA', 1);
    expect(await refused).toEqual([{ code: 'not-in-swarm', message: expect.any(String), ref: 'signal' }]);
  });

  it('reconnects after the tracker restarts, with a new peer id, and re-announces', async () => {
    let t = await tracker();
    const port = t.port;
    const a = client(t.wsUrl);
    await opened(a);
    const firstId = a.peerId;
    a.announce(swarm, 5);
    await next(a.onPeers.bind(a));

    const reconnecting = next(a.onStatus.bind(a), (s) => s === 'reconnecting');
    await t.close();
    trackers.pop();
    await reconnecting;
    expect(a.peerId).toBeUndefined();

    const reannounced = next(a.onPeers.bind(a));
    t = await tracker(port);
    const [newId] = await next(a.onWelcome.bind(a));
    expect(newId).not.toBe(firstId);
    expect(await reannounced).toEqual([swarm, []]);
    expect(t.registry.has(swarm, newId)).toBe(true);
  });

  it('stays closed after close(): no reconnect', async () => {
    const t = await tracker();
    const a = client(t.wsUrl);
    await opened(a);
    a.close();
    expect(a.status).toBe('closed');
    await expect.poll(() => t.stats().clients).toBe(0);
    await new Promise((r) => setTimeout(r, 300)); // several backoff periods
    expect(t.stats().clients).toBe(0);
    expect(a.status).toBe('closed');
  });

  it('keeps retrying while the tracker is down', async () => {
    const t = await tracker();
    const port = t.port;
    await t.close();
    trackers.pop();
    const a = client(`ws://127.0.0.1:${port}/tracker`);
    await next(a.onStatus.bind(a), (s) => s === 'reconnecting');
    await tracker(port);
    await opened(a);
  });
});

describe('TrackerClient.reconnectNow', () => {
  it('reconnects at once when the tracker is back, long before the scheduled attempt', async () => {
    const t = await tracker();
    const port = t.port;
    const a = new TrackerClient({ url: t.wsUrl, WebSocketImpl: Impl, minBackoffMs: 20_000, maxBackoffMs: 60_000 });
    clients.push(a);
    await opened(a);
    const scheduled = next(a.onSchedule.bind(a), (at) => at !== undefined);
    await t.close();
    trackers.pop();
    const [at] = await scheduled;
    expect(a.status).toBe('reconnecting');
    expect(at! - Date.now()).toBeGreaterThan(5_000); // the first pause is 10-20 s
    await tracker(port);
    const started = Date.now();
    expect(await a.reconnectNow()).toBe(true);
    expect(a.status).toBe('open');
    expect(Date.now() - started).toBeLessThan(at! - started);
    expect(a.nextAttemptAt).toBeUndefined();
  });

  it('reports a failed attempt and restarts the backoff from its shortest pause', async () => {
    const t = await tracker();
    const a = new TrackerClient({ url: t.wsUrl, WebSocketImpl: Impl, minBackoffMs: 1_000, maxBackoffMs: 60_000 });
    clients.push(a);
    await opened(a);
    const pauses: Array<number | undefined> = []; // each scheduled pause, measured when scheduled; undefined: trying now
    a.onSchedule((at) => pauses.push(at === undefined ? undefined : at - Date.now()));
    await t.close();
    trackers.pop();
    // The second pause has grown to 1-2 s (the first is 0.5-1 s).
    await expect.poll(() => pauses.filter((p) => p !== undefined).length, { timeout: 5_000 }).toBe(2);
    expect(pauses.at(-1)).toBeGreaterThanOrEqual(1_000 - 5);
    pauses.length = 0;
    expect(await a.reconnectNow()).toBe(false);
    // One attempt at once, then the first pause again: 0.5-1 s.
    expect(pauses[0]).toBeUndefined();
    expect(pauses).toHaveLength(2);
    expect(pauses[1]).toBeLessThanOrEqual(1_000);
    expect(a.status).toBe('reconnecting');
  });

  it('is a no-op when open, and false after close()', async () => {
    const t = await tracker();
    const a = client(t.wsUrl);
    await opened(a);
    const id = a.peerId;
    expect(await a.reconnectNow()).toBe(true);
    expect(a.peerId).toBe(id);
    a.close();
    expect(await a.reconnectNow()).toBe(false);
    expect(a.status).toBe('closed');
  });
});

describe('TrackerClient against a rogue server', () => {
  it('reports malformed server messages instead of throwing, and keeps working', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    wss.on('connection', (ws) => {
      ws.send('not json');
      ws.send(JSON.stringify({ type: 'welcome', version: 1 })); // no peer id
      ws.send(JSON.stringify({ type: 'peers', swarm: '../x', peers: [] }));
      ws.send(JSON.stringify({ type: 'signal', swarm, from: 'x', payload: 1 }));
      ws.send(JSON.stringify({ type: 'mystery' }));
      ws.send(Buffer.from([1, 2, 3]), { binary: true });
      ws.send(JSON.stringify({ type: 'welcome', version: 1, peerId: 'abcdefghijklmnop' }));
      ws.send(JSON.stringify({ type: 'classroom-stats', n: 1 }));
    });
    try {
      const a = client(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`);
      const errors: TrackerClientError[] = [];
      a.onError((e) => errors.push(e));
      const ext = next(a.onExtension.bind(a, 'classroom-stats') as (cb: (m: unknown) => void) => () => void);
      a.onSignal(() => {
        throw new Error('must not be called for an invalid signal');
      });
      await opened(a);
      expect(a.peerId).toBe('abcdefghijklmnop');
      expect(await ext).toEqual([{ type: 'classroom-stats', n: 1 }]);
      expect(errors.map((e) => e.code)).toEqual(Array(6).fill('bad-server-message'));
      expect(errors[0]!.message).toMatch(/JSON/);
      expect(errors[1]!.message).toMatch(/peerId/);
      expect(errors[2]!.message).toMatch(/swarm/);
      expect(errors[4]!.message).toMatch(/mystery/);
      expect(errors[5]!.message).toMatch(/binary/);
    } finally {
      wss.close();
    }
  });
});

describe('helpers', () => {
  it('backoff grows exponentially, is capped, and is jittered within [ceiling/2, ceiling]', () => {
    expect(backoffDelay(0, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(0, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(800);
    expect(backoffDelay(20, 100, 10_000, () => 0.5)).toBe(7500);
    expect(backoffDelay(1000, 100, 10_000, () => 1)).toBe(10_000);
  });

  it('derives the tracker URL from the page location', () => {
    expect(trackerUrl({ protocol: 'http:', host: '192.168.1.5:8080' })).toBe('ws://192.168.1.5:8080/tracker');
    expect(trackerUrl({ protocol: 'https:', host: 'drop.example' })).toBe('wss://drop.example/tracker');
  });
});
