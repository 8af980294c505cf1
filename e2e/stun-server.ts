/**
 * A minimal STUN server (RFC 5389 Binding only) on 127.0.0.1, for the insecure-origin test.
 *
 * Why: on http://classroom.test (not a secure context) Chromium refuses camera/microphone
 * permission, so it may not enumerate network interfaces; it then gathers candidates only through
 * the default route (absent in the test's loopback-only namespace) and through STUN/TURN servers.
 * With this server in the ICE config every peer learns a server-reflexive candidate 127.0.0.1:port,
 * so the peers connect, and every packet stays on loopback. On a real LAN the default route exists
 * and no STUN server is needed.
 */
import { createSocket, type Socket } from 'node:dgram';

const MAGIC_COOKIE = 0x2112a442;

/** Answers every Binding request with the sender's address (XOR-MAPPED-ADDRESS); ignores anything else. */
export function startStunServer(
  port = 0,
  host = '127.0.0.1',
): Promise<{ port: number; close(): void; socket: Socket }> {
  const socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 20 || msg.readUInt16BE(0) !== 0x0001 || msg.readUInt32BE(4) !== MAGIC_COOKIE) return;
    const transactionId = msg.subarray(8, 20);
    const attr = Buffer.alloc(12);
    attr.writeUInt16BE(0x0020, 0); // XOR-MAPPED-ADDRESS
    attr.writeUInt16BE(8, 2);
    attr.writeUInt8(0, 4);
    attr.writeUInt8(0x01, 5); // IPv4
    attr.writeUInt16BE(rinfo.port ^ (MAGIC_COOKIE >>> 16), 6);
    const ip = rinfo.address.split('.').map(Number);
    const ipInt = ((ip[0]! << 24) | (ip[1]! << 16) | (ip[2]! << 8) | ip[3]!) >>> 0;
    attr.writeUInt32BE((ipInt ^ MAGIC_COOKIE) >>> 0, 8);
    const header = Buffer.alloc(20);
    header.writeUInt16BE(0x0101, 0); // Binding success response
    header.writeUInt16BE(attr.length, 2);
    header.writeUInt32BE(MAGIC_COOKIE, 4);
    transactionId.copy(header, 8);
    socket.send(Buffer.concat([header, attr]), rinfo.port, rinfo.address);
  });
  return new Promise((resolve) => {
    socket.bind(port, host, () => resolve({ port: socket.address().port, close: () => socket.close(), socket }));
  });
}
