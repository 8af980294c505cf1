/**
 * `npx tsx bench/tracker-send.ts`: what one relayed frame costs to send, `ws.send(text)` (header
 * and payload as two chunks, a writev) against one buffer written on the socket
 * (signaling/text-frame.ts, what the tracker does). Not a test. Both in one process, on loopback,
 * alternating in rounds of 2,000 sends (small enough to fit the kernel's socket buffers, so no
 * send queues up in Node); wall time of each synchronous round, which includes the kernel's
 * loopback delivery. Prints one JSON line: median microseconds per send of each and the ratio.
 */
import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { textFrame } from '../signaling/text-frame.ts';

const SOCKETS = 50;
const ROUND = 2_000;
const ROUNDS = Number(process.argv[2] ?? 200);
/** A relayed ICE candidate as the tracker sends it, ~330 bytes. */
const TEXT = `{"type":"signal","swarm":"${'s'.repeat(43)}","from":"${'p'.repeat(16)}","payload":{"seq":123456,"candidate":"candidate:842163049 1 udp 1677729535 192.0.2.44 53204 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sXyZ network-cost 999 ${'x'.repeat(100)}"}}`;

const http = createServer();
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const servers: { ws: WebSocket; socket: Duplex }[] = [];
http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => servers.push({ ws, socket })));
await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
const port = (http.address() as { port: number }).port;
let received = 0;
const clients = await Promise.all(
  Array.from(
    { length: SOCKETS },
    () =>
      new Promise<WebSocket>((resolve) => {
        const c = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
        c.on('message', () => received++);
        c.once('open', () => resolve(c));
      }),
  ),
);
while (servers.length < SOCKETS) await new Promise((r) => setTimeout(r, 10));

const ways = {
  wsSend: (i: number) => servers[i % SOCKETS]!.ws.send(TEXT),
  oneBuffer: (i: number) => void servers[i % SOCKETS]!.socket.write(textFrame(TEXT)),
};
const times: Record<keyof typeof ways, number[]> = { wsSend: [], oneBuffer: [] };
let expected = 0;
for (let r = 0; r < ROUNDS; r++) {
  const order: (keyof typeof ways)[] = r % 2 ? ['wsSend', 'oneBuffer'] : ['oneBuffer', 'wsSend'];
  for (const name of order) {
    const send = ways[name];
    const t0 = performance.now();
    for (let i = 0; i < ROUND; i++) send(i);
    times[name].push(((performance.now() - t0) * 1000) / ROUND);
    expected += ROUND;
    while (received < expected) await new Promise((r) => setImmediate(r)); // let the clients read everything
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const ws = median(times.wsSend);
const one = median(times.oneBuffer);
console.log(
  JSON.stringify({
    bench: 'tracker-send',
    rounds: ROUNDS,
    sendsPerRound: ROUND,
    wsSendUs: +ws.toFixed(2),
    oneBufferUs: +one.toFixed(2),
    ratio: +(one / ws).toFixed(2),
  }),
);
for (const c of clients) c.terminate();
http.close();
process.exit(0);
