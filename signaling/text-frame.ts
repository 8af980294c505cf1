/**
 * A server-to-client WebSocket text frame (RFC 6455 section 5.2: FIN, opcode 1, unmasked) in one
 * buffer. Why not `ws.send(text)`: `ws` writes the 2-10 byte header and the payload as two chunks
 * (cork, two writes, uncork: a writev), one more allocation and more stream bookkeeping per
 * relayed message, on the relay's hot path.
 */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81; // FIN + text
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.write(text, header, length, 'utf8');
  return frame;
}
