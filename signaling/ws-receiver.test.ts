/**
 * signaling/ws-receiver.ts against the installed `ws`: the Receiver internals it reuses are there,
 * it keeps one array per socket and no reference to the last message, and messages split into
 * fragments still arrive whole, also while other sockets' messages come in between.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { startTracker, type Tracker } from './tracker.ts';
import { swarmId, TestClient } from './testing/test-client.ts';
import { receiverReuse, releaseLastMessage } from './ws-receiver.ts';

type Internals = { _receiver: { _fragments: unknown[] } };

/** A bare ws server whose sockets report each message with the Receiver's state after it. */
async function server(release: boolean) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const seen: { text: string; fragments: unknown[]; reused: unknown[] | undefined }[] = [];
  wss.on('connection', (ws) => {
    const reused = receiverReuse(ws);
    ws.on('message', (data) => {
      if (release && reused) releaseLastMessage(ws, reused);
      const receiver = (ws as unknown as Internals)._receiver;
      seen.push({ text: (data as Buffer).toString(), fragments: receiver._fragments, reused });
    });
  });
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  await new Promise((r) => client.once('open', r));
  const until = async (n: number) => {
    while (seen.length < n) await new Promise((r) => setTimeout(r, 5));
  };
  return { wss, client, seen, until };
}

describe("ws's Receiver, released after each message", () => {
  it('without the release, ws hands every socket a new array per message (what is fixed)', async () => {
    const { wss, client, seen, until } = await server(false);
    for (const text of ['one', 'two']) client.send(text);
    await until(2);
    expect(seen[0]!.reused).toBeInstanceOf(Array); // the internals the reuse needs are there
    expect(seen[0]!.fragments).not.toBe(seen[1]!.fragments);
    client.terminate();
    wss.close();
  });

  it('with it, every message leaves the same, empty array behind', async () => {
    const { wss, client, seen, until } = await server(true);
    for (const text of ['one', 'two', 'three']) client.send(text);
    client.send('fo', { fin: false });
    client.send('ur', { fin: true });
    await until(4);
    expect(seen.map((s) => s.text)).toEqual(['one', 'two', 'three', 'four']);
    for (const s of seen) {
      expect(s.fragments).toBe(seen[0]!.reused);
      expect(s.fragments).toHaveLength(0);
    }
    client.terminate();
    wss.close();
  });
});

describe('fragmented signals through the tracker', () => {
  let tracker: Tracker;
  let a: TestClient;
  let b: TestClient;
  let c: TestClient;
  const swarm = swarmId(7);
  beforeAll(async () => {
    tracker = await startTracker({ log: () => {} });
    const connect = () => TestClient.connect(tracker.wsUrl);
    [a, b, c] = await Promise.all([connect(), connect(), connect()]);
    for (const x of [a, b, c]) await x.announce(swarm);
  });
  afterAll(async () => {
    for (const x of [a, b, c]) x.ws.terminate();
    await tracker.close();
  });

  it('arrive whole while another socket relays between the fragments', async () => {
    const text = JSON.stringify({ type: 'signal', swarm, to: b.peerId, payload: { sdp: 'x'.repeat(300), n: 1 } });
    const thirds = [text.slice(0, 100), text.slice(100, 200), text.slice(200)] as const;
    a.ws.send(thirds[0], { fin: false });
    c.send({ type: 'signal', swarm, to: b.peerId, payload: { n: 2 } });
    a.ws.send(thirds[1], { fin: false });
    c.send({ type: 'signal', swarm, to: b.peerId, payload: { n: 3 } });
    a.ws.send(thirds[2], { fin: true });
    const got = [await b.next('signal'), await b.next('signal'), await b.next('signal')];
    expect(got.map((m) => [m.from, m.payload.n]).sort()).toEqual(
      [
        [a.peerId, 1],
        [c.peerId, 2],
        [c.peerId, 3],
      ].sort(),
    );
    expect(got.find((m) => m.from === a.peerId)!.payload.sdp).toBe('x'.repeat(300));
  });
});
