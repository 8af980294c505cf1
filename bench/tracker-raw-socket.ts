/**
 * A minimal WebSocket client on a raw TCP socket, for the tracker benchmark's load generator only.
 * The generator is measurement apparatus: with 5,000 `ws` clients it used most of a core and so
 * starved the server it measured. This one does the least a client must:
 * - the HTTP upgrade (the server's 101 is checked, its accept hash is not: we trust our own server);
 * - text frames masked with the all-zero key (RFC 6455 5.3 lets a client pick any key and a
 *   server must accept it; with zero the payload goes out as is: no XOR, no random bytes);
 * - frame splitting of what the server sends, handing each payload to `onFrame` as a slice of the
 *   socket's buffer (no copy, no UTF-8 decode, no JSON.parse unless the caller wants one);
 * - pong for every ping, so the tracker's liveness check keeps it.
 */
import { connect, type Socket } from 'node:net';

/** Opcodes of RFC 6455. */
export const OP_TEXT = 1;
const OP_CLOSE = 8;
const OP_PING = 9;
const OP_PONG = 10;

const HEADER_END = Buffer.from('\r\n\r\n');

export interface FrameSink {
  /** A complete frame from the server: its payload is `buf[start, end)`, valid until return. */
  (op: number, buf: Buffer, start: number, end: number): void;
}

/** Encodes one masked (zero key) client frame of an ASCII or UTF-8 string. */
export function encodeFrame(text: string, op = OP_TEXT): Buffer {
  const len = Buffer.byteLength(text);
  const header = len < 126 ? 6 : len < 65536 ? 8 : 14;
  const frame = Buffer.allocUnsafe(header + len);
  frame[0] = 0x80 | op;
  if (len < 126) frame[1] = 0x80 | len;
  else if (len < 65536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(len, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(len), 2);
  }
  frame.writeUInt32BE(0, header - 4); // the masking key: zero
  frame.write(text, header, 'utf8');
  return frame;
}

export class RawWebSocket {
  readonly socket: Socket;
  /** Resolves once the server answered the upgrade with 101. */
  readonly opened: Promise<void>;
  /** Set when the server sent a close frame or the socket ended. */
  closed = false;
  closeCode = 0;
  private pending: Buffer | undefined;
  private upgraded = false;

  constructor(
    port: number,
    path: string,
    private readonly onFrame: FrameSink,
    onClose: (code: number) => void,
    /** The loopback address to connect from (the attack bench plays several hosts). */
    localAddress = '127.0.0.1',
    /**
     * A server out of file descriptors leaves the connection in its accept queue and never answers;
     * the client gives up after this long instead of waiting forever.
     */
    upgradeTimeoutMs = 15_000,
  ) {
    this.socket = connect({ host: '127.0.0.1', port, noDelay: true, localAddress });
    this.opened = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no upgrade answer in ${upgradeTimeoutMs} ms`));
        this.socket.destroy();
      }, upgradeTimeoutMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        reject(new Error('closed before the upgrade'));
      });
      this.socket.once('connect', () => {
        this.socket.write(
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Key: c3dhcm1kcm9wLWJlbmNoIQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        );
      });
      this.socket.on('data', (chunk: Buffer) => {
        if (this.upgraded) return this.frames(chunk);
        const all = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
        const end = all.indexOf(HEADER_END);
        if (end < 0) {
          this.pending = all;
          return;
        }
        this.pending = undefined;
        const status = all.toString('latin1', 0, all.indexOf('\r\n'));
        if (!/^HTTP\/1\.1 101 /.test(status)) {
          reject(new Error(`upgrade refused: ${status}`));
          this.socket.destroy();
          return;
        }
        this.upgraded = true;
        clearTimeout(timer);
        resolve();
        if (end + 4 < all.length) this.frames(all.subarray(end + 4));
      });
      this.socket.once('error', reject);
    });
    this.opened.catch(() => {});
    this.socket.on('error', () => {});
    this.socket.once('close', () => {
      this.closed = true;
      onClose(this.closeCode || 1006);
    });
  }

  /** Sends one pre-encoded frame (see encodeFrame). */
  sendFrame(frame: Buffer): void {
    if (!this.closed) this.socket.write(frame);
  }

  send(text: string): void {
    this.sendFrame(encodeFrame(text));
  }

  terminate(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private frames(chunk: Buffer): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let off = 0;
    while (buf.length - off >= 2) {
      let len = buf[off + 1]! & 0x7f;
      let header = 2;
      if (len === 126) {
        if (buf.length - off < 4) break;
        len = buf.readUInt16BE(off + 2);
        header = 4;
      } else if (len === 127) {
        if (buf.length - off < 10) break;
        len = Number(buf.readBigUInt64BE(off + 2));
        header = 10;
      }
      if (buf.length - off < header + len) break;
      const op = buf[off]! & 0x0f;
      const start = off + header;
      off = start + len;
      if (op === OP_PING) this.sendFrame(encodeFrame(buf.toString('latin1', start, off), OP_PONG));
      else if (op === OP_CLOSE) {
        this.closeCode = len >= 2 ? buf.readUInt16BE(start) : 1005;
        this.terminate();
        return;
      } else this.onFrame(op, buf, start, off);
    }
    this.pending = off < buf.length ? Buffer.from(buf.subarray(off)) : undefined;
  }
}
