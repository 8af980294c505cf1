/**
 * The sharer's classroom secret: 32 random bytes (hex) kept in this browser's localStorage, so the
 * sharer's tab and a projector tab opened in the same browser can prove to the tracker that they
 * are the teacher. The tracker only ever stores its SHA-256. Works on plain-http LAN pages too
 * (getRandomValues exists there; the hash is @noble/hashes, not crypto.subtle).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex as hex } from '@noble/hashes/utils.js';

const KEY = (swarm: string) => `swarmdrop.classroom.secret.${swarm}`;

export function secretHash(secret: string): string {
  return hex(sha256(new TextEncoder().encode(secret)));
}

/** This browser's secret for `swarm`, or null when it is not the sharer's browser. */
export function loadSecret(swarm: string, storage: Pick<Storage, 'getItem'> = localStorage): string | null {
  const s = storage.getItem(KEY(swarm));
  return s && /^[0-9a-f]{64}$/.test(s) ? s : null;
}

/** The existing secret for `swarm`, or a new one (saved). */
export function ensureSecret(swarm: string, storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage): string {
  const existing = loadSecret(swarm, storage);
  if (existing) return existing;
  const secret = hex(crypto.getRandomValues(new Uint8Array(32)));
  storage.setItem(KEY(swarm), secret);
  return secret;
}
