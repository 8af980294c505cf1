/**
 * The classroom's limits with their defaults (docs/SECURITY.md lists them) and the signature
 * checks its rooms rely on (node:crypto's Ed25519), kept apart from the room logic in classroom.ts.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface ClassroomLimits {
  /** Stats a member may publish per second (burst: twice that). */
  statsPerSecond: number;
  /** Controls a room fans out per second (burst: twice that); more are coalesced to the latest. */
  controlsPerSecond: number;
  /** Opens a room accepts per second (burst: four). */
  opensPerSecond: number;
  /** Projector views of a room that anyone may open... */
  maxWatchers: number;
  /** ...of them from one address... */
  maxWatchersPerAddress: number;
  /** ...plus these, only for the teacher (a watch signed with the room's key). */
  teacherWatchers: number;
  /** Pages that joined one room. */
  maxMembers: number;
  /** Rooms in total (a full tracker refuses new ones; it never evicts one). */
  maxClassrooms: number;
  /** Rooms one connection has opened, and rooms opened from one address. */
  maxRoomsPerConnection: number;
  maxRoomsPerAddress: number;
  /** Signatures one connection may have checked per second (burst: twice that). */
  signaturesPerSecond: number;
  /** Over Redis: how long (ms) an instance reuses a room's owner it looked up (0: every message asks). */
  ownerCacheMs: number;
}

export const DEFAULT_CLASSROOM_LIMITS: ClassroomLimits = {
  statsPerSecond: 2,
  controlsPerSecond: 2,
  opensPerSecond: 1,
  maxWatchers: 15,
  maxWatchersPerAddress: 4,
  teacherWatchers: 2,
  maxMembers: 1000,
  maxClassrooms: 1000,
  maxRoomsPerConnection: 4,
  maxRoomsPerAddress: 16,
  signaturesPerSecond: 4,
  ownerCacheMs: 1000,
};

/** An Ed25519 public key (hex) as node:crypto wants it, or null when it is not a valid point. */
export function publicKeyOf(key: string): KeyObject | null {
  try {
    return createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key, 'hex').toString('base64url') },
      format: 'jwk',
    });
  } catch {
    return null;
  }
}

export function verifies(publicKey: KeyObject, data: Uint8Array, sig: string): boolean {
  try {
    return verify(null, data, publicKey, Buffer.from(sig, 'hex'));
  } catch {
    return false;
  }
}
