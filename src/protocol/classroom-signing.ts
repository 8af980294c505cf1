/**
 * The classroom's trust anchor: the sharer's browser holds a random Ed25519 secret key per share;
 * the classroom link students open carries its public key. Every control is signed with the
 * secret key and checked against that public key by the tracker (forged ones are dropped there)
 * and again by each page (a page trusts only the key from its own link). Opening a room and
 * claiming the projector's teacher slot are signed over the sender's tracker peer id, so a
 * captured proof is useless on another connection.
 *
 * @noble/curves (audited, pure JS) rather than crypto.subtle: subtle is missing on plain-http LAN
 * origins, where classrooms often run.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex as hex, hexToBytes as unhex, utf8ToBytes as utf8 } from '@noble/hashes/utils.js';
import { controlBodySchema, type ControlBody } from './classroom';
import { parseJson } from './json';

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;
const DOMAIN = 'swarmdrop-classroom-v2';

/** What a signature covers: purpose, room (swarm + key) and payload, so none can be reused elsewhere. */
const signed = (purpose: string, swarm: string, key: string, payload: string) =>
  utf8(`${DOMAIN}\n${purpose}\n${swarm}\n${key}\n${payload}`);

/** The bytes a proof signs (the tracker verifies them with node:crypto, ~50x faster than pure JS). */
export const proofBytes = (purpose: 'open' | 'watch', swarm: string, key: string, peerId: string) =>
  signed(purpose, swarm, key, peerId);
/** The bytes a control's signature covers. */
export const controlBytes = (swarm: string, key: string, body: string) => signed('control', swarm, key, body);

/** The control in a body text, or null when it is not a well-formed one (check the signature first). */
export function parseControlBody(body: string): ControlBody | null {
  const r = controlBodySchema.safeParse(parseJson(body));
  return r.success ? r.data : null;
}

/** A new secret key (32 random bytes, hex). */
export function newClassroomSecret(): string {
  return hex(ed25519.utils.randomSecretKey());
}

/** The public key (hex) of a secret key (hex). */
export function classroomKeyOf(secret: string): string {
  return hex(ed25519.getPublicKey(unhex(secret)));
}

function verify(key: string, sig: string, message: Uint8Array): boolean {
  if (!HEX64.test(key) || !HEX128.test(sig)) return false;
  try {
    return ed25519.verify(unhex(sig), message, unhex(key));
  } catch {
    return false;
  }
}

/** Proof that the sender holds the room's secret, bound to its tracker connection (`peerId`). */
export function signProof(secret: string, purpose: 'open' | 'watch', swarm: string, peerId: string): string {
  return hex(ed25519.sign(signed(purpose, swarm, classroomKeyOf(secret), peerId), unhex(secret)));
}

export function verifyProof(
  key: string,
  sig: string,
  purpose: 'open' | 'watch',
  swarm: string,
  peerId: string,
): boolean {
  return verify(key, sig, signed(purpose, swarm, key, peerId));
}

/** A signed control: the body travels as the exact text that was signed. */
export interface SignedControl {
  body: string;
  sig: string;
}

export function signControl(secret: string, swarm: string, control: ControlBody): SignedControl {
  const body = JSON.stringify(control);
  return { body, sig: hex(ed25519.sign(signed('control', swarm, classroomKeyOf(secret), body), unhex(secret))) };
}

/** The control when `sig` is the room key's signature of `body` and the body is well formed; else null. */
export function verifyControl(key: string, swarm: string, signedControl: SignedControl): ControlBody | null {
  if (!verify(key, signedControl.sig, controlBytes(swarm, key, signedControl.body))) return null;
  return parseControlBody(signedControl.body);
}
