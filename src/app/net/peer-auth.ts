/**
 * Peer authentication: on a freshly opened data channel, before anything else is exchanged, each
 * side proves it holds the share link's secret (its 32-byte auth key) without sending it.
 *
 * Each side sends a hello with a fresh random 32-byte nonce, then, once it has the other's nonce,
 * a proof: HMAC-SHA256(authKey, transcript), where the transcript is a label, the prover's role
 * and both nonces and both DTLS certificate fingerprints (initiator's first), as each side reads
 * them in its local and remote SDP. The nonces make a proof useless on any other connection; the
 * fingerprints bind it to this DTLS session, so a man in the middle of the signalling (who runs
 * a separate DTLS session with each side, under his own certificates) cannot relay one side's
 * proof to the other; the role stops a proof being reflected back to its maker.
 *
 * Wire form, binary messages only, at most MAX_AUTH_MESSAGE_BYTES each:
 *   hello: 0xA1, version (1), nonce (32 bytes)   = 34 bytes
 *   proof: 0xA2, HMAC-SHA256 (32 bytes)           = 33 bytes
 * Anything else, anything before the peer's hello, or anything after its proof while we still
 * wait fails the exchange; so does silence past the timeout.
 */
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

export const PEER_AUTH_VERSION = 1;
export const AUTH_KEY_BYTES = 32;
export const AUTH_NONCE_BYTES = 32;
export const MAX_AUTH_MESSAGE_BYTES = 64;
export const DEFAULT_AUTH_TIMEOUT_MS = 10_000;

const HELLO = 0xa1;
const PROOF = 0xa2;
const HELLO_BYTES = 2 + AUTH_NONCE_BYTES;
const PROOF_BYTES = 1 + 32;
const LABEL = new TextEncoder().encode('swarmdrop peer-auth v1');
const ROLE_INITIATOR = 0x49; // 'I'
const ROLE_RESPONDER = 0x52; // 'R'

/** Why an exchange failed. */
export type PeerAuthFailure =
  /** The peer's proof does not match: it does not hold this link's key (or is on another connection). */
  | 'bad-proof'
  /** No complete exchange within the timeout. */
  | 'timeout'
  /** A message that is not a hello or a proof. */
  | 'malformed'
  | 'oversize'
  /** A well-formed message out of turn: a proof before the hello, a second hello, data before the proof. */
  | 'unexpected'
  /** A hello of another protocol version. */
  | 'version'
  /** The channel closed first. */
  | 'closed'
  /** Our own inputs are unusable (a key of the wrong length, no fingerprint in an SDP). */
  | 'bad-input';

export class PeerAuthError extends Error {
  constructor(
    readonly reason: PeerAuthFailure,
    message: string,
  ) {
    super(message);
    this.name = 'PeerAuthError';
  }
}

/** The channel as the exchange uses it: binary sends, every incoming message in order, and its close. */
export interface AuthChannel {
  send(data: Uint8Array): void;
  onMessage(listener: (data: unknown) => void): () => void;
  onClose(listener: () => void): () => void;
}

/** HMAC-SHA256. */
export type HmacSha256 = (key: Uint8Array, message: Uint8Array) => Promise<Uint8Array>;

export interface PeerAuthOptions {
  authKey: Uint8Array;
  initiator: boolean;
  localFingerprint: string;
  remoteFingerprint: string;
  timeoutMs?: number;
  /** Injected in tests; default: the global timers. */
  clock?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  /** Injected in tests; default: crypto.getRandomValues. */
  randomBytes?: (n: number) => Uint8Array;
  /** Default: WebCrypto where it exists, else @noble/hashes. */
  hmac?: HmacSha256;
}

/** WebCrypto HMAC; @noble/hashes where `crypto.subtle` is missing (plain-http LAN origins). */
export function defaultHmac(): HmacSha256 {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return (key, message) => Promise.resolve(nobleHmac(sha256, key, message));
  return async (key, message) => {
    const k = await subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    return new Uint8Array(await subtle.sign('HMAC', k, message as Uint8Array<ArrayBuffer>));
  };
}

export const jsHmac: HmacSha256 = (key, message) => Promise.resolve(nobleHmac(sha256, key, message));

export function encodeHello(nonce: Uint8Array): Uint8Array {
  const out = new Uint8Array(HELLO_BYTES);
  out[0] = HELLO;
  out[1] = PEER_AUTH_VERSION;
  out.set(nonce, 2);
  return out;
}

export function encodeProof(mac: Uint8Array): Uint8Array {
  const out = new Uint8Array(PROOF_BYTES);
  out[0] = PROOF;
  out.set(mac, 1);
  return out;
}

export type AuthMessage = { type: 'hello'; nonce: Uint8Array } | { type: 'proof'; mac: Uint8Array };

/** One message from the peer, checked for size and form before anything else looks at it. */
export function decodeAuthMessage(data: unknown): AuthMessage {
  if (typeof data === 'string') {
    if (data.length > MAX_AUTH_MESSAGE_BYTES) throw new PeerAuthError('oversize', 'oversized text message');
    throw new PeerAuthError('malformed', 'a text message during authentication');
  }
  let bytes: Uint8Array;
  if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else if (data instanceof Uint8Array) bytes = data;
  else throw new PeerAuthError('malformed', 'not a binary message');
  if (bytes.byteLength > MAX_AUTH_MESSAGE_BYTES)
    throw new PeerAuthError('oversize', `a ${bytes.byteLength}-byte message (at most ${MAX_AUTH_MESSAGE_BYTES})`);
  if (bytes[0] === HELLO && bytes.byteLength === HELLO_BYTES) {
    if (bytes[1] !== PEER_AUTH_VERSION) throw new PeerAuthError('version', `peer-auth version ${bytes[1]}`);
    return { type: 'hello', nonce: bytes.slice(2) };
  }
  if (bytes[0] === PROOF && bytes.byteLength === PROOF_BYTES) return { type: 'proof', mac: bytes.slice(1) };
  throw new PeerAuthError('malformed', 'not a hello or a proof');
}

/** What a proof signs: label, the prover's role, the initiator's and responder's nonces and fingerprints. */
export function proofTranscript(
  proverIsInitiator: boolean,
  nonces: { initiator: Uint8Array; responder: Uint8Array },
  fingerprints: { initiator: string; responder: string },
): Uint8Array {
  const enc = new TextEncoder();
  const fpI = enc.encode(fingerprints.initiator);
  const fpR = enc.encode(fingerprints.responder);
  const parts = [
    LABEL,
    Uint8Array.of(0, proverIsInitiator ? ROLE_INITIATOR : ROLE_RESPONDER),
    nonces.initiator,
    nonces.responder,
    Uint8Array.of(fpI.length >> 8, fpI.length & 0xff),
    fpI,
    Uint8Array.of(fpR.length >> 8, fpR.length & 0xff),
    fpR,
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function equalInConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Runs the exchange on `channel`; resolves once the peer's proof checked out (our own proof has
 * been sent by then), rejects with a PeerAuthError otherwise. Stops listening either way.
 */
export function authenticatePeer(channel: AuthChannel, opts: PeerAuthOptions): Promise<void> {
  const clock = opts.clock ?? {
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  const random = opts.randomBytes ?? ((n: number) => crypto.getRandomValues(new Uint8Array(n)));
  const hmac = opts.hmac ?? defaultHmac();
  const fingerprints = opts.initiator
    ? { initiator: opts.localFingerprint, responder: opts.remoteFingerprint }
    : { initiator: opts.remoteFingerprint, responder: opts.localFingerprint };

  return new Promise<void>((resolve, reject) => {
    if (opts.authKey.length !== AUTH_KEY_BYTES)
      return reject(new PeerAuthError('bad-input', `an auth key of ${opts.authKey.length} bytes`));
    if (!opts.localFingerprint || !opts.remoteFingerprint)
      return reject(new PeerAuthError('bad-input', 'no DTLS fingerprint to bind the proof to'));

    const ours = random(AUTH_NONCE_BYTES);
    let theirs: Uint8Array | undefined;
    let gotProof = false;
    let settled = false;
    /** Messages are handled one at a time, in order (HMAC is asynchronous). */
    let queue = Promise.resolve();
    let timer: unknown;
    let offMessage = () => {};
    let offClose = () => {};

    const finish = (error?: PeerAuthError) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      offMessage();
      offClose();
      if (error) reject(error);
      else resolve();
    };
    const nonces = (nonce: Uint8Array) =>
      opts.initiator ? { initiator: ours, responder: nonce } : { initiator: nonce, responder: ours };

    const handle = async (data: unknown): Promise<void> => {
      const message = decodeAuthMessage(data);
      if (message.type === 'hello') {
        if (theirs) throw new PeerAuthError('unexpected', 'a second hello');
        theirs = message.nonce;
        const mac = await hmac(opts.authKey, proofTranscript(opts.initiator, nonces(theirs), fingerprints));
        if (!settled) channel.send(encodeProof(mac));
        return;
      }
      if (!theirs) throw new PeerAuthError('unexpected', 'a proof before the hello');
      const expected = await hmac(opts.authKey, proofTranscript(!opts.initiator, nonces(theirs), fingerprints));
      if (!equalInConstantTime(message.mac, expected))
        throw new PeerAuthError('bad-proof', 'the peer does not hold this link');
      finish();
    };

    // Our hello goes first: the peer's (maybe held) messages are handled only after it.
    try {
      channel.send(encodeHello(ours));
    } catch {
      return finish(new PeerAuthError('closed', 'the channel closed'));
    }
    timer = clock.setTimeout(
      () => finish(new PeerAuthError('timeout', 'no proof in time')),
      opts.timeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS,
    );
    offClose = channel.onClose(() => finish(new PeerAuthError('closed', 'the channel closed')));
    offMessage = channel.onMessage((data) => {
      if (settled) return;
      // After its proof a peer waits for ours: anything more from it is out of turn.
      if (gotProof) return finish(new PeerAuthError('unexpected', 'data before authentication finished'));
      try {
        if (decodeAuthMessage(data).type === 'proof') gotProof = true;
      } catch (err) {
        return finish(err as PeerAuthError);
      }
      queue = queue.then(() =>
        handle(data).catch((err: unknown) =>
          finish(err instanceof PeerAuthError ? err : new PeerAuthError('malformed', String(err))),
        ),
      );
    });
    if (settled) offMessage();
  });
}

/**
 * The DTLS certificate fingerprint(s) an SDP announces (`a=fingerprint:sha-256 AB:CD:...`), in one
 * canonical form: both ends of a connection read the same text for the same certificate.
 */
export function sdpFingerprint(sdp: string | undefined): string {
  const found = new Set<string>();
  for (const m of (sdp ?? '').matchAll(/^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/gm))
    found.add(`${m[1]!.toLowerCase()} ${m[2]!.toUpperCase()}`);
  return [...found].sort().join(',');
}
