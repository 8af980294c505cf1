/**
 * The peer-auth exchange attacked as a peer without the key, a replaying or reflecting peer, a man
 * in the middle of the signalling, and a peer sending junk, oversized, early or no data.
 * Channels are in-memory pairs (delivery in a later microtask, like a data channel's events).
 */
import { describe, expect, it, vi } from 'vitest';
import {
  MAX_AUTH_MESSAGE_BYTES,
  PeerAuthError,
  authenticatePeer,
  decodeAuthMessage,
  encodeHello,
  encodeProof,
  jsHmac,
  sdpFingerprint,
  type AuthChannel,
  type PeerAuthFailure,
  type PeerAuthOptions,
} from './peer-auth';

const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(8);
const FP_A = 'sha-256 AA:AA';
const FP_B = 'sha-256 BB:BB';

/** One end of an in-memory channel: what it sent, and a way to deliver to it. */
class End implements AuthChannel {
  readonly sent: Uint8Array[] = [];
  peer: End | undefined;
  private readonly listeners = new Set<(d: unknown) => void>();
  private readonly closers = new Set<() => void>();
  /** Messages for us before anyone listened (the connector's inbox does the same). */
  private held: unknown[] = [];
  send(data: Uint8Array): void {
    this.sent.push(data);
    const to = this.peer;
    if (to) queueMicrotask(() => to.deliver(data));
  }
  deliver(data: unknown): void {
    if (this.listeners.size === 0) this.held.push(data);
    for (const l of this.listeners) l(data);
  }
  onMessage(listener: (d: unknown) => void): () => void {
    this.listeners.add(listener);
    const held = this.held;
    this.held = [];
    for (const d of held) listener(d);
    return () => this.listeners.delete(listener);
  }
  onClose(listener: () => void): () => void {
    this.closers.add(listener);
    return () => this.closers.delete(listener);
  }
  close(): void {
    for (const c of this.closers) c();
  }
  get listening(): number {
    return this.listeners.size;
  }
}

function pair(): [End, End] {
  const a = new End();
  const b = new End();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

const opts = (initiator: boolean, over: Partial<PeerAuthOptions> = {}): PeerAuthOptions => ({
  authKey: KEY,
  initiator,
  localFingerprint: initiator ? FP_A : FP_B,
  remoteFingerprint: initiator ? FP_B : FP_A,
  ...over,
});

async function reason(p: Promise<void>): Promise<PeerAuthFailure | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(PeerAuthError);
    return (err as PeerAuthError).reason;
  }
}

/** A clock that only moves when told to. */
function manualClock() {
  const timers = new Map<number, { at: number; fn: () => void }>();
  let now = 0;
  let next = 1;
  return {
    setTimeout: (fn: () => void, ms: number) => (timers.set(next, { at: now + ms, fn }), next++),
    clearTimeout: (h: unknown) => void timers.delete(h as number),
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...timers]) {
        if (t.at > now) continue;
        timers.delete(id);
        t.fn();
      }
    },
    get pending() {
      return timers.size;
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('authenticatePeer', () => {
  it('two holders of the key authenticate each other (WebCrypto, @noble/hashes, and one of each)', async () => {
    for (const [ha, hb] of [
      [undefined, undefined],
      [jsHmac, jsHmac],
      [undefined, jsHmac],
    ] as const) {
      const [a, b] = pair();
      const results = await Promise.all([
        reason(authenticatePeer(a, opts(true, { hmac: ha }))),
        reason(authenticatePeer(b, opts(false, { hmac: hb }))),
      ]);
      expect(results).toEqual(['ok', 'ok']);
      // Exactly one hello and one proof each way, and nobody listens afterwards.
      expect(a.sent.map((m) => m.length)).toEqual([34, 33]);
      expect(b.sent.map((m) => m.length)).toEqual([34, 33]);
      expect(a.listening + b.listening).toBe(0);
    }
  });

  it('a peer with another key is refused, and so are we by it', async () => {
    const [a, b] = pair();
    const results = await Promise.all([
      reason(authenticatePeer(a, opts(true))),
      reason(authenticatePeer(b, opts(false, { authKey: OTHER_KEY }))),
    ]);
    expect(results).toEqual(['bad-proof', 'bad-proof']);
  });

  it('a proof recorded on one connection is refused on another (fresh nonces), though it passes where they repeat', async () => {
    // Connection 1: honest Alice (initiator) and Bob; the attacker records Alice's hello and proof.
    let seed = 0;
    const fixed = (n: number) => new Uint8Array(n).fill(++seed);
    const [a1, b1] = pair();
    await Promise.all([
      authenticatePeer(a1, opts(true, { randomBytes: fixed })),
      authenticatePeer(b1, opts(false, { randomBytes: fixed })),
    ]);
    const [aliceHello, aliceProof] = a1.sent;
    // Connection 2: the attacker, as initiator, replays them to Bob, whose nonce is fresh.
    const replay = async (bobNonces: (n: number) => Uint8Array) => {
      const bob = new End();
      const result = reason(authenticatePeer(bob, opts(false, { randomBytes: bobNonces })));
      bob.deliver(aliceHello);
      await flush();
      bob.deliver(aliceProof);
      return result;
    };
    expect(await replay((n) => crypto.getRandomValues(new Uint8Array(n)))).toBe('bad-proof');
    // The control: had Bob drawn the same nonce again, the recording would pass (so the test can fail).
    expect(await replay((n) => new Uint8Array(n).fill(2))).toBe('ok');
  });

  it('a man in the middle of the signalling (each side sees his fingerprint) cannot relay the proofs', async () => {
    // Alice sees Mallory's certificate M1, Bob sees M2; Mallory passes every message through.
    const alice = new End();
    const bob = new End();
    alice.peer = bob;
    bob.peer = alice;
    const results = await Promise.all([
      reason(authenticatePeer(alice, opts(true, { remoteFingerprint: 'sha-256 11:11' }))),
      reason(authenticatePeer(bob, opts(false, { remoteFingerprint: 'sha-256 22:22' }))),
    ]);
    expect(results).toEqual(['bad-proof', 'bad-proof']);
  });

  it('fingerprints swapped between the two roles fail', async () => {
    const [a, b] = pair();
    const results = await Promise.all([
      reason(authenticatePeer(a, opts(true, { localFingerprint: FP_B, remoteFingerprint: FP_A }))),
      reason(authenticatePeer(b, opts(false))),
    ]);
    expect(results).toEqual(['bad-proof', 'bad-proof']);
  });

  it('our own hello and proof reflected back are refused (the role is signed)', async () => {
    const victim = new End();
    const result = reason(authenticatePeer(victim, opts(true)));
    // The reflector answers our hello with itself, then with the proof we made for that.
    victim.deliver(victim.sent[0]);
    // The proof is an HMAC on WebCrypto's thread pool: wait for it, however loaded the machine.
    await vi.waitFor(() => expect(victim.sent).toHaveLength(2));
    victim.deliver(victim.sent[1]);
    expect(await result).toBe('bad-proof');
  });

  it('junk, oversized, text, a wrong version, early data and extra data each fail with their reason', async () => {
    const hello = encodeHello(new Uint8Array(32).fill(1));
    const wrongVersion = hello.slice();
    wrongVersion[1] = 9;
    const cases: Array<[string, unknown[], PeerAuthFailure]> = [
      ['junk', [new Uint8Array([1, 2, 3])], 'malformed'],
      ['a hello one byte short', [hello.slice(0, 33)], 'malformed'],
      ['oversize', [new Uint8Array(MAX_AUTH_MESSAGE_BYTES + 1)], 'oversize'],
      ['a megabyte', [new ArrayBuffer(1 << 20)], 'oversize'],
      ['a long text', ['x'.repeat(100_000)], 'oversize'],
      ['a rename note', ['{"type":"renamed"}'], 'malformed'],
      ['an object', [{ type: 'hello' }], 'malformed'],
      ['another version', [wrongVersion], 'version'],
      ['a proof first', [encodeProof(new Uint8Array(32))], 'unexpected'],
      ['two hellos', [hello, hello], 'unexpected'],
      ['data right after the proof', [hello, encodeProof(new Uint8Array(32)), new Uint8Array([0])], 'unexpected'],
    ];
    for (const [name, messages, expected] of cases) {
      const end = new End();
      const result = reason(authenticatePeer(end, opts(false)));
      for (const m of messages) end.deliver(m);
      expect([name, await result]).toEqual([name, expected]);
      expect(end.listening).toBe(0);
    }
  });

  it('messages held from before the exchange started are handled after our hello', async () => {
    const [a, b] = pair();
    const bobDone = reason(authenticatePeer(b, opts(false)));
    await flush(); // Bob's hello now waits, held, at Alice's end
    const aliceDone = reason(authenticatePeer(a, opts(true)));
    expect(a.sent[0]?.[0]).toBe(0xa1);
    expect(await Promise.all([aliceDone, bobDone])).toEqual(['ok', 'ok']);
  });

  it('a silent peer times out on the injected clock, and a peer that answers in time does not', async () => {
    const clock = manualClock();
    const silent = new End();
    const result = reason(authenticatePeer(silent, opts(true, { clock, timeoutMs: 5_000 })));
    clock.advance(4_999);
    await flush();
    let settled = false;
    void result.then(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    clock.advance(1);
    expect(await result).toBe('timeout');
    expect(silent.listening).toBe(0);

    const [a, b] = pair();
    const both = Promise.all([
      reason(authenticatePeer(a, opts(true, { clock, timeoutMs: 5_000 }))),
      reason(authenticatePeer(b, opts(false, { clock, timeoutMs: 5_000 }))),
    ]);
    expect(await both).toEqual(['ok', 'ok']);
    expect(clock.pending).toBe(0);
  });

  it('a channel that closes fails the exchange; a key of the wrong length or no fingerprint is refused up front', async () => {
    const end = new End();
    const result = reason(authenticatePeer(end, opts(true)));
    end.close();
    expect(await result).toBe('closed');
    expect(await reason(authenticatePeer(new End(), opts(true, { authKey: new Uint8Array(16) })))).toBe('bad-input');
    expect(await reason(authenticatePeer(new End(), opts(true, { remoteFingerprint: '' })))).toBe('bad-input');
  });
});

describe('decodeAuthMessage and sdpFingerprint', () => {
  it('round-trips the two messages and reads an ArrayBuffer too', () => {
    const nonce = new Uint8Array(32).map((_, i) => i);
    expect(decodeAuthMessage(encodeHello(nonce).buffer)).toEqual({ type: 'hello', nonce });
    expect(decodeAuthMessage(encodeProof(nonce))).toEqual({ type: 'proof', mac: nonce });
  });

  it('reads the fingerprint lines of an SDP in one canonical form', () => {
    const sdp = 'v=0\r\na=fingerprint:SHA-256 ab:cd:EF\r\nm=application 9\r\na=fingerprint:sha-256 AB:CD:ef\r\n';
    expect(sdpFingerprint(sdp)).toBe('sha-256 AB:CD:EF');
    expect(sdpFingerprint('v=0\r\n')).toBe('');
    expect(sdpFingerprint(undefined)).toBe('');
  });
});
