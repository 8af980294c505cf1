import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_BURST,
  DEFAULT_RATE_PER_SEC,
  MAGIC_COOKIE,
  MAX_REQUEST_BYTES,
  bindingResponse,
  parseBindingRequest,
  startStunServer,
  type StunServer,
} from './stun-server.ts';

function request(opts: { type?: number; cookie?: number; attrs?: Buffer; length?: number } = {}): Buffer {
  const attrs = opts.attrs ?? Buffer.alloc(0);
  const msg = Buffer.alloc(20 + attrs.length);
  msg.writeUInt16BE(opts.type ?? 0x0001, 0);
  msg.writeUInt16BE(opts.length ?? attrs.length, 2);
  msg.writeUInt32BE(opts.cookie ?? MAGIC_COOKIE, 4);
  randomBytes(12).copy(msg, 8);
  attrs.copy(msg, 20);
  return msg;
}

/** A SOFTWARE attribute of `n` bytes of value (padded), as a client may send. */
function software(n: number): Buffer {
  const a = Buffer.alloc(4 + Math.ceil(n / 4) * 4);
  a.writeUInt16BE(0x8022, 0);
  a.writeUInt16BE(n, 2);
  return a;
}

/** Sends each datagram and collects every answer that arrives within `waitMs`. */
async function exchange(
  port: number,
  datagrams: Buffer[],
  waitMs = 150,
  from = '127.0.0.1',
): Promise<{ client: Socket; answers: Buffer[] }> {
  const client = createSocket('udp4');
  const answers: Buffer[] = [];
  client.on('message', (m) => answers.push(m));
  await new Promise<void>((r) => client.bind(0, from, () => r()));
  for (const d of datagrams) client.send(d, port, '127.0.0.1');
  await new Promise((r) => setTimeout(r, waitMs));
  client.close();
  return { client, answers };
}

/** Decodes XOR-MAPPED-ADDRESS (IPv4) from a response. */
function mapped(res: Buffer): { address: string; port: number } {
  expect(res.readUInt16BE(20)).toBe(0x0020);
  const port = res.readUInt16BE(26) ^ (MAGIC_COOKIE >>> 16);
  const ip = (res.readUInt32BE(28) ^ MAGIC_COOKIE) >>> 0;
  return { address: [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.'), port };
}

describe('STUN server (real UDP on 127.0.0.1)', () => {
  let server: StunServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers a Binding request with the sender address, same transaction id, 32 bytes', async () => {
    server = await startStunServer({ port: 0, host: '127.0.0.1' });
    const client = createSocket('udp4');
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    const req = request({ attrs: software(11) });
    const answer = new Promise<Buffer>((r) => client.once('message', (m) => r(m)));
    client.send(req, server.port, '127.0.0.1');
    const res = await answer;
    expect(res.length).toBe(32);
    expect(res.readUInt16BE(0)).toBe(0x0101);
    expect(res.readUInt16BE(2)).toBe(12);
    expect(res.subarray(8, 20)).toEqual(req.subarray(8, 20));
    expect(mapped(res)).toEqual({ address: '127.0.0.1', port: client.address().port });
    client.close();
  });

  it('drops malformed, non-Binding, oversized and cookie-less datagrams without answering', async () => {
    server = await startStunServer({ port: 0, host: '127.0.0.1' });
    const bad = [
      Buffer.alloc(0),
      Buffer.from('GET / HTTP/1.1\r\n\r\n'),
      request().subarray(0, 19), // short header
      request({ type: 0x0101 }), // a response, not a request (reflection between two servers)
      request({ type: 0x0011 }), // Binding indication
      request({ type: 0x0003 }), // TURN Allocate
      request({ cookie: 0 }), // RFC 3489 style, no magic cookie
      request({ attrs: software(8), length: 4 }), // length field lies
      request({ attrs: Buffer.alloc(6), length: 6 }), // length not a multiple of 4
      (() => {
        const a = software(4);
        a.writeUInt16BE(400, 2); // attribute runs past the end
        return request({ attrs: a });
      })(),
      request({ attrs: software(MAX_REQUEST_BYTES) }), // oversized
      Buffer.concat([request(), Buffer.alloc(3)]), // trailing bytes
    ];
    const { answers } = await exchange(server.port, bad);
    expect(answers).toEqual([]);
    expect(server.stats.dropped).toBe(bad.length);
    expect(server.stats.answered).toBe(0);
  });

  it('never answers with more bytes than a Binding response, whatever the request size', async () => {
    server = await startStunServer({ port: 0, host: '127.0.0.1' });
    const { answers } = await exchange(server.port, [request({ attrs: software(500) })]);
    expect(answers.length).toBe(1);
    expect(answers[0]!.length).toBe(32);
  });

  it('rate-limits each source address: a flood gets only the burst answered', async () => {
    let now = 0;
    server = await startStunServer({ port: 0, host: '127.0.0.1', ratePerSec: 5, burst: 10, now: () => now });
    const flood = Array.from({ length: 200 }, () => request());
    const first = await exchange(server.port, flood, 300);
    expect(first.answers.length).toBe(10);
    expect(server.stats.limited).toBe(190);
    // Another port on the same address shares the budget (a spoofer can pick any port).
    const again = await exchange(server.port, [request()]);
    expect(again.answers.length).toBe(0);
    // After 1 s of the injected clock, 5 more.
    now += 1000;
    const later = await exchange(server.port, flood.slice(0, 20), 300);
    expect(later.answers.length).toBe(5);
  });

  it('the default budget answers a class of 40 behind one address, and a flood from it only that budget', async () => {
    let now = 0;
    const stun = (server = await startStunServer({ port: 0, host: '127.0.0.1', now: () => now }));
    const client = createSocket('udp4');
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    /** Sends `n` requests; resolves, once the server has handled them all, to how many it answered. */
    const send = async (n: number): Promise<number> => {
      const { answered, limited, dropped } = stun.stats;
      for (let i = 0; i < n; i++) client.send(request(), stun.port, '127.0.0.1');
      const handled = () => stun.stats.answered + stun.stats.limited + stun.stats.dropped;
      await expect.poll(handled, { timeout: 10_000, interval: 5 }).toBe(answered + limited + dropped + n);
      return stun.stats.answered - answered;
    };
    try {
      // 41 browsers join within 5 s, 12 new connections each: one request per connection.
      for (let s = 0; s < 5; s++, now += 1000) expect(await send(99)).toBe(99);
      // Then 656 connections (16 each) keep a transaction going every 10 s: 66 a second.
      for (let s = 0; s < 10; s++, now += 1000) expect(await send(66)).toBe(66);
      expect(stun.stats.limited).toBe(0);
      // A flood from that address, 600 a second (in batches the socket buffer holds): the burst is
      // answered, then DEFAULT_RATE_PER_SEC a second, never more.
      const flood = async () => {
        let answered = 0;
        for (let i = 0; i < 6; i++) answered += await send(100);
        return answered;
      };
      expect(await flood()).toBe(DEFAULT_BURST);
      now += 1000;
      expect(await flood()).toBe(DEFAULT_RATE_PER_SEC);
      expect(stun.stats.limited).toBe(600);
    } finally {
      client.close();
    }
  });

  it('keeps at most maxTrackedSources addresses (the oldest is forgotten)', async () => {
    server = await startStunServer({
      port: 0,
      host: '127.0.0.1',
      ratePerSec: 1,
      burst: 1,
      maxTrackedSources: 1,
      now: () => 0,
    });
    expect((await exchange(server.port, [request(), request()])).answers.length).toBe(1); // 127.0.0.1: burst spent
    expect((await exchange(server.port, [request()], 150, '127.0.0.2')).answers.length).toBe(1); // evicts 127.0.0.1
    expect((await exchange(server.port, [request()])).answers.length).toBe(1); // fresh again
  });
});

describe('STUN message encoding', () => {
  it('encodes an IPv6 mapped address XORed with cookie and transaction id (44 bytes)', () => {
    const tid = Buffer.alloc(12, 7);
    const res = bindingResponse(tid, '2001:db8::1', 40000);
    expect(res.length).toBe(44);
    expect(res.readUInt8(25)).toBe(0x02);
    const key = Buffer.concat([Buffer.from([0x21, 0x12, 0xa4, 0x42]), tid]);
    const addr = Buffer.from(res.subarray(28, 44).map((b, i) => b ^ key[i]!));
    expect(addr.toString('hex')).toBe('20010db8000000000000000000000001');
  });

  it('encodes IPv6 sources with a dotted IPv4 tail or a zone by their 16 bytes', () => {
    const bytes = (address: string) => {
      const tid = Buffer.alloc(12, 3);
      const res = bindingResponse(tid, address, 1);
      const key = Buffer.concat([Buffer.from([0x21, 0x12, 0xa4, 0x42]), tid]);
      return Buffer.from(res.subarray(28, 44).map((b, i) => b ^ key[i]!)).toString('hex');
    };
    // NAT64's well-known prefix with an embedded IPv4 address (RFC 6052).
    expect(bytes('64:ff9b::192.0.2.33')).toBe('0064ff9b0000000000000000c0000221');
    expect(bytes('::1')).toBe('00000000000000000000000000000001');
    expect(bytes('fe80::1%eth0')).toBe('fe800000000000000000000000000001');
  });

  it('reports an IPv4-mapped IPv6 source as IPv4', () => {
    const res = bindingResponse(Buffer.alloc(12), '::ffff:10.1.2.3', 5);
    expect(res.length).toBe(32);
    expect(mapped(res)).toEqual({ address: '10.1.2.3', port: 5 });
  });

  it('accepts only requests whose attributes tile the body', () => {
    expect(parseBindingRequest(request({ attrs: software(3) }))).toBeDefined();
    expect(parseBindingRequest(Buffer.concat([request(), Buffer.alloc(4)]))).toBeUndefined();
  });
});
