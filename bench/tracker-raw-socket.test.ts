/** The bench's raw WebSocket client against a real `ws` server: framing both ways, pings, close. */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeFrame, OP_TEXT, RawWebSocket } from './tracker-raw-socket.ts';

let wss: WebSocketServer | undefined;
afterEach(() => new Promise<void>((r) => (wss ? wss.close(() => r()) : r())));

async function server(onConnection: (ws: WebSocket) => void): Promise<number> {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  wss.on('connection', onConnection);
  await new Promise((r) => wss!.once('listening', r));
  return (wss.address() as { port: number }).port;
}

describe('RawWebSocket', () => {
  it('sends zero-key masked frames a ws server accepts, and splits the replies at any length', async () => {
    const port = await server((ws) =>
      ws.on('message', (data, binary) => ws.send(binary ? data : (data as Buffer).toString())),
    );
    const got: string[] = [];
    const client = new RawWebSocket(
      port,
      '/',
      (op, buf, start, end) => {
        expect(op).toBe(OP_TEXT);
        got.push(buf.toString('utf8', start, end));
      },
      () => {},
    );
    await client.opened;
    const texts = ['', 'a', 'x'.repeat(125), 'y'.repeat(126), 'z'.repeat(65_535), 'w'.repeat(65_536), 'ünïcödé 😀'];
    for (const t of texts) client.send(t);
    await expect.poll(() => got.length).toBe(texts.length);
    expect(got).toEqual(texts);
    client.terminate();
  });

  it('reassembles frames split across reads', async () => {
    const port = await server((ws) =>
      ws.on('message', () => {
        // many small frames in one go: the kernel hands them over in arbitrary pieces
        for (let i = 0; i < 2000; i++) ws.send(`{"seq":${i}}`);
      }),
    );
    let n = 0;
    let ordered = true;
    const client = new RawWebSocket(
      port,
      '/',
      (_op, buf, start, end) => {
        ordered &&= buf.toString('latin1', start, end) === `{"seq":${n}}`;
        n++;
      },
      () => {},
    );
    await client.opened;
    client.sendFrame(encodeFrame('go'));
    await expect.poll(() => n).toBe(2000);
    expect(ordered).toBe(true);
    client.terminate();
  });

  it('answers pings (so the tracker keeps it) and reports the close code', async () => {
    let serverSide!: WebSocket;
    const port = await server((ws) => (serverSide = ws));
    let closedWith = 0;
    const client = new RawWebSocket(
      port,
      '/',
      () => {},
      (code) => (closedWith = code),
    );
    await client.opened;
    const pong = new Promise((r) => serverSide.once('pong', r));
    serverSide.ping('are you there');
    expect(String(await pong)).toBe('are you there');
    serverSide.close(1008, 'bye');
    await expect.poll(() => closedWith).toBe(1008);
    expect(client.closed).toBe(true);
  });

  it('rejects a refused upgrade', async () => {
    const port = await server(() => {});
    const client = new RawWebSocket(
      port,
      '/',
      () => {},
      () => {},
    );
    await client.opened;
    client.terminate();
    // a path ws answers with 400: not a WebSocket endpoint
    wss!.options.path = '/only-here';
    const refused = new RawWebSocket(
      port,
      '/elsewhere',
      () => {},
      () => {},
    );
    await expect(refused.opened).rejects.toThrow(/upgrade refused/);
  });
});

describe('RawWebSocket against a server that cannot answer', () => {
  let tcp: Server | undefined;
  const accepted: Socket[] = [];
  afterEach(async () => {
    for (const s of accepted.splice(0)) s.destroy();
    await new Promise<void>((r) => (tcp ? tcp.close(() => r()) : r()));
  });

  async function tcpServer(onSocket: (s: Socket) => void): Promise<number> {
    tcp = createServer((s) => (accepted.push(s), onSocket(s)));
    await new Promise<void>((r) => tcp!.listen(0, '127.0.0.1', r));
    return (tcp.address() as { port: number }).port;
  }

  it('rejects when the server closes before answering the upgrade', async () => {
    const port = await tcpServer((s) => s.destroy());
    const client = new RawWebSocket(
      port,
      '/',
      () => {},
      () => {},
    );
    await expect(client.opened).rejects.toThrow(/closed before the upgrade/);
  });

  it('gives up on a server that holds the connection and never answers', async () => {
    const port = await tcpServer(() => {}); // accepted, never answered
    const client = new RawWebSocket(
      port,
      '/',
      () => {},
      () => {},
      '127.0.0.1',
      200,
    );
    await expect(client.opened).rejects.toThrow(/no upgrade answer in 200 ms/);
  });
});
