/**
 * The tracker's frame recording (off by default; `--record-frames FILE` / TRACKER_RECORD_FRAMES):
 * every WebSocket frame it receives and sends, and every HTTP request line with its headers
 * (the WebSocket upgrades too), appended raw to one file. The private-link e2e test searches it
 * for anything a tracker must never learn (e2e/private-recording.spec.ts). It is a test and audit
 * tool: a recording holds everyone's signalling, so never leave it on in production.
 *
 * Layout: for each record, a header line `\n=== <in|out|http> <peer or address> <byte length>\n`
 * then the bytes as they were on the wire (frames' payloads, unmasked).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';

export interface FrameRecorder {
  frame(direction: 'in' | 'out', peer: string, data: Buffer | string): void;
  request(req: IncomingMessage): void;
  close(): Promise<void>;
}

export function fileFrameRecorder(path: string): FrameRecorder {
  const out: WriteStream = createWriteStream(path, { flags: 'a' });
  out.on('error', () => undefined); // a recording that can't be written must not stop the tracker
  const write = (kind: string, who: string, bytes: Buffer) => {
    out.write(`\n=== ${kind} ${who} ${bytes.length}\n`);
    out.write(bytes);
  };
  return {
    frame: (direction, peer, data) => write(direction, peer, Buffer.isBuffer(data) ? data : Buffer.from(data)),
    request: (req) => {
      const head = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) head.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      write('http', req.socket.remoteAddress ?? '?', Buffer.from(head.join('\r\n')));
    },
    close: () => new Promise<void>((resolve) => out.end(resolve)),
  };
}
