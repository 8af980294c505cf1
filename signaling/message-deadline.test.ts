/**
 * The incomplete-message deadline on a virtual clock: a client that dribbles a frame one byte at a
 * time is cut exactly messageTimeoutMs after its first byte, not at the next ping round (up to a
 * ping interval later), and the bytes it keeps sending do not move the deadline.
 */
import type { Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { VirtualClock } from '../src/engine/testing/index.ts';
import { TRACKER_PROTOCOL_VERSION } from '../src/protocol/tracker.ts';
import { dribbleFrame, rawWebSocket } from '../bench/attack-clients.ts';
import { encodeFrame } from '../bench/tracker-raw-socket.ts';
import { startTracker, type Tracker } from './tracker.ts';

const TIMEOUT = 10_000;
let tracker: Tracker | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0)) f();
  await tracker?.close();
});

/** A tracker on a virtual clock, an attacker's raw WebSocket, and the server's end of its TCP socket. */
async function attacked() {
  const clock = new VirtualClock();
  const logged: string[] = [];
  // Pings every 15 s (the default) and no hello timeout in reach: only the deadline can cut it.
  const t = (tracker = await startTracker({
    clock,
    limits: { messageTimeoutMs: TIMEOUT, helloTimeoutMs: 600_000 },
    log: (_level, message) => logged.push(message),
  }));
  let serverSide: Socket | undefined;
  t.server.on('connection', (s: Socket) => (serverSide = s));
  const { ws, closed } = await rawWebSocket(t.port);
  cleanups.push(() => ws.terminate());
  ws.socket.setNoDelay(true);
  let code: number | undefined;
  void closed.then((c) => (code = c));
  // Every byte the client writes from now on, its own pongs included (they land inside the frame
  // as payload bytes), so the test can wait until the server has read them all.
  const readAtStart = serverSide!.bytesRead;
  let written = 0;
  const socket = ws.socket;
  const socketWrite = socket.write.bind(socket);
  socket.write = (bytes: Buffer) => {
    written += bytes.length;
    return socketWrite(bytes);
  };
  /** Writes bytes and waits until the server has read them (its socket's count, not a sleep). */
  const write = async (bytes: Buffer) => {
    ws.socket.write(bytes);
    await expect.poll(() => serverSide!.bytesRead - readAtStart - written).toBe(0);
  };
  const cut = () => logged.some((m) => /incomplete for too long/.test(m));
  return { clock, write, cut, closed, code: () => code };
}

it('a dribbling client is cut at the deadline after its first byte, not at the next ping', async () => {
  const { clock, write, cut, closed } = await attacked();
  const frame = dribbleFrame(2000);
  await write(frame.subarray(0, 1));
  // One byte a second: each is read by the server, none moves the deadline.
  for (let k = 1; k < 10; k++) {
    clock.advance(1000);
    await write(frame.subarray(k, k + 1));
  }
  clock.advance(TIMEOUT - 9000 - 1);
  expect(cut()).toBe(false);
  clock.advance(1);
  expect(cut()).toBe(true);
  expect(await closed).toBe(1006); // terminated: nothing more is read from it
});

it('a message completed in time disarms the deadline; the next incomplete one gets a full deadline of its own', async () => {
  const { clock, write, cut, code } = await attacked();
  const hello = encodeFrame(JSON.stringify({ type: 'hello', version: TRACKER_PROTOCOL_VERSION }));
  await write(hello.subarray(0, 3));
  clock.advance(TIMEOUT - 1);
  await write(hello.subarray(3)); // completes just in time
  const next = dribbleFrame(100);
  await write(next.subarray(0, 2));
  clock.advance(TIMEOUT - 1); // the first deadline would have passed long ago
  expect(cut()).toBe(false);
  expect(code()).toBeUndefined();
  clock.advance(1);
  expect(cut()).toBe(true);
});
