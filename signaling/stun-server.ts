/**
 * The STUN server `npm start` runs beside the tracker (RFC 5389, Binding only, UDP). A browser
 * asks it "what address do you see me at?" and gets a server-reflexive ICE candidate: on a LAN
 * with no internet (and no working mDNS) that is its LAN address; behind a home NAT it is the
 * router's public address and port, which is what hole punching needs.
 *
 * A UDP service answering spoofable sources must not become a reflector, so it:
 * - answers only a well-formed Binding request (RFC 5389 header, magic cookie, length consistent,
 *   no more than MAX_REQUEST_BYTES) and drops everything else silently;
 * - answers with a fixed-size response (header + XOR-MAPPED-ADDRESS: 32 bytes for IPv4, 44 for
 *   IPv6), whatever the request carried;
 * - answers each source address at most `ratePerSec` times a second (burst `burst`).
 *
 * The default budget is sized for a class of 40 behind one school address: each browser keeps a
 * STUN transaction going every ~10 s on each of its connections (up to 16 each: 41 x 16 = 656, so
 * ~66 a second from that one address) and sends one per new connection when it joins (12 each).
 * Measured: a class of 20 sent ~22 a second. A spoofed flood gets at most 100 answers of 32 bytes a
 * second sent to its victim: about 3 KB/s, no reflector worth using.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import ipaddr from 'ipaddr.js';
import { TokenBucket, type BucketState } from './token-bucket.ts';

export const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const XOR_MAPPED_ADDRESS = 0x0020;
const HEADER_BYTES = 20;
/** Chromium's Binding requests to a STUN server are 20-100 bytes; anything far bigger is not one. */
export const MAX_REQUEST_BYTES = 548;
/** Answers per second per source address, and the burst allowed (see above). */
export const DEFAULT_RATE_PER_SEC = 100;
export const DEFAULT_BURST = 500;

export interface StunServerOptions {
  /** UDP port; 0 picks a free one. */
  port: number;
  /** Address to bind: an IPv4 address, or an IPv6 one (`::` also takes IPv4 on dual-stack hosts). */
  host?: string;
  /** Answers per second per source address, and the burst allowed. */
  ratePerSec?: number;
  burst?: number;
  /** Source addresses remembered for the rate limit; the oldest is forgotten past this. */
  maxTrackedSources?: number;
  /** Milliseconds clock for the rate limit (tests inject one). */
  now?: () => number;
}

export interface StunServer {
  readonly port: number;
  /** Requests answered and datagrams dropped (malformed, not Binding, over the rate). */
  readonly stats: { answered: number; dropped: number; limited: number };
  close(): Promise<void>;
}

/** The transaction id of a well-formed Binding request, or undefined for anything else. */
export function parseBindingRequest(msg: Buffer): Buffer | undefined {
  if (msg.length < HEADER_BYTES || msg.length > MAX_REQUEST_BYTES) return undefined;
  if (msg.readUInt16BE(0) !== BINDING_REQUEST) return undefined; // also: top two bits must be 0
  const length = msg.readUInt16BE(2);
  if (length !== msg.length - HEADER_BYTES || length % 4 !== 0) return undefined;
  if (msg.readUInt32BE(4) !== MAGIC_COOKIE) return undefined;
  // Attributes must tile the body exactly (type, length, value padded to 4 bytes).
  let at = HEADER_BYTES;
  while (at < msg.length) {
    if (at + 4 > msg.length) return undefined;
    const attrLength = msg.readUInt16BE(at + 2);
    at += 4 + Math.ceil(attrLength / 4) * 4;
  }
  if (at !== msg.length) return undefined;
  return msg.subarray(8, 20);
}

/** A Binding success response telling the client its address as this server saw it. */
export function bindingResponse(transactionId: Buffer, address: string, port: number): Buffer {
  // ipaddr.process: an IPv4-mapped IPv6 source (a dual-stack socket's) is reported as the IPv4
  // address it is; any other IPv6 form (zero runs, a dotted IPv4 tail, a zone) is parsed in full.
  const parsed = ipaddr.process(address);
  const v6 = parsed.kind() === 'ipv6';
  const addrBytes = Buffer.from(parsed.toByteArray());
  const out = Buffer.alloc(HEADER_BYTES + 4 + 4 + addrBytes.length);
  out.writeUInt16BE(BINDING_SUCCESS, 0);
  out.writeUInt16BE(out.length - HEADER_BYTES, 2);
  out.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(out, 8);
  out.writeUInt16BE(XOR_MAPPED_ADDRESS, 20);
  out.writeUInt16BE(4 + addrBytes.length, 22);
  out.writeUInt8(v6 ? 0x02 : 0x01, 25);
  out.writeUInt16BE(port ^ (MAGIC_COOKIE >>> 16), 26);
  // XOR with the magic cookie followed by the transaction id (RFC 5389 section 15.2).
  const key = out.subarray(4, 20);
  for (let i = 0; i < addrBytes.length; i++) out[28 + i] = addrBytes[i]! ^ key[i]!;
  return out;
}

export function startStunServer(options: StunServerOptions): Promise<StunServer> {
  const host = options.host ?? '0.0.0.0';
  const socket: Socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });
  const bucket = new TokenBucket(
    options.ratePerSec ?? DEFAULT_RATE_PER_SEC,
    options.burst ?? DEFAULT_BURST,
    options.now,
  );
  const maxSources = options.maxTrackedSources ?? 10_000;
  const sources = new Map<string, BucketState>();
  const stats = { answered: 0, dropped: 0, limited: 0 };

  socket.on('message', (msg, rinfo) => {
    const transactionId = parseBindingRequest(msg);
    if (!transactionId) {
      stats.dropped++;
      return;
    }
    let state = sources.get(rinfo.address);
    if (!state) {
      if (sources.size >= maxSources) sources.delete(sources.keys().next().value!);
      state = bucket.fresh();
      sources.set(rinfo.address, state);
    }
    if (!bucket.take(state)) {
      stats.limited++;
      return;
    }
    stats.answered++;
    socket.send(bindingResponse(transactionId, rinfo.address, rinfo.port), rinfo.port, rinfo.address);
  });
  // A send to an unreachable source (ICMP) must not crash the process.
  socket.on('error', () => undefined);

  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, host, () => {
      socket.off('error', reject);
      resolve({
        port: socket.address().port,
        stats,
        close: () => new Promise((r) => socket.close(() => r())),
      });
    });
  });
}
