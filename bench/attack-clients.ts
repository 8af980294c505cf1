/**
 * What an attacker sends, on real sockets: shared by the attack tests (signaling/attacks.test.ts)
 * and `npm run bench:attack`. Loopback only: a second address (127.0.0.2) plays "another host"
 * for the per-address limits, since all of 127.0.0.0/8 is the loopback interface on Linux.
 */
import { connect, type Socket } from 'node:net';
import { encodeFrame, RawWebSocket } from './tracker-raw-socket.ts';

/** A masked (zero key) frame of one payload byte: text start, or a continuation; never final. */
export function oneByteFragment(first: boolean, byte = 0x20): Buffer {
  return Buffer.from([first ? 0x01 : 0x00, 0x80 | 1, 0, 0, 0, 0, byte]);
}

/** `count` one-byte fragments of a text message that never ends, written as one burst. */
export function fragments(count: number): Buffer {
  return Buffer.concat(Array.from({ length: count }, (_, i) => oneByteFragment(i === 0)));
}

/** A text frame announcing `payloadBytes`, to be written byte by byte (dribble). */
export function dribbleFrame(payloadBytes: number): Buffer {
  return encodeFrame('x'.repeat(payloadBytes));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Writes `bytes` one per TCP segment (Nagle off, a pause between writes so each is its own
 * segment and its own read on the server) until all are written, `stop()` says so, or the
 * socket is closed. Resolves with the bytes written.
 */
export async function dribble(socket: Socket, bytes: Buffer, gapMs: number, stop = () => false): Promise<number> {
  socket.setNoDelay(true);
  let sent = 0;
  for (; sent < bytes.length && !socket.destroyed && !stop(); sent++) {
    socket.write(bytes.subarray(sent, sent + 1));
    await sleep(gapMs);
  }
  return sent;
}

/** A WebSocket on a raw socket that answers pings (so only the limits under test can cut it). */
export async function rawWebSocket(
  port: number,
  localAddress = '127.0.0.1',
): Promise<{ ws: RawWebSocket; closed: Promise<number> }> {
  let onClose!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (onClose = resolve));
  const ws = new RawWebSocket(port, '/tracker', () => {}, onClose, localAddress);
  await ws.opened;
  return { ws, closed };
}

/**
 * An HTTP request whose headers never end (no blank line), from `localAddress`. Resolves once
 * connected; `closed` resolves when the server drops it.
 */
export function halfSentRequest(
  port: number,
  localAddress = '127.0.0.1',
): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => {});
    socket.once('connect', () => {
      socket.write(`GET /tracker HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n`);
      resolve({ socket, closed });
    });
    // refused before connecting (e.g. reset): still "closed"
    socket.once('close', () => resolve({ socket, closed }));
  });
}
