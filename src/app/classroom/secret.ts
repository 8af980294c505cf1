/**
 * Classroom keys in this browser's localStorage:
 * - the sharer's secret key per share (32 random bytes, hex; an Ed25519 secret key, see
 *   src/protocol/classroom-signing.ts), so the sharer's tab and a projector tab in the same browser
 *   can sign; the tracker and the students only ever see its public key;
 * - a student's room key per share, taken from the classroom link it opened: only controls signed
 *   with it are applied;
 * - the last control sequence number, shared by the sharer's tabs so a later control always
 *   carries a higher one (replays of older ones are ignored by everyone).
 */
import { classroomKeyOf, newClassroomSecret } from '../../protocol/classroom-signing';

const SECRET_KEY = (swarm: string) => `swarmdrop.classroom.secret.${swarm}`;
const ROOM_KEY = (swarm: string) => `swarmdrop.classroom.key.${swarm}`;
const SEQ_KEY = (swarm: string) => `swarmdrop.classroom.seq.${swarm}`;
const HEX64 = /^[0-9a-f]{64}$/;

/** This browser's secret key for `swarm`, or null when it is not the sharer's browser. */
export function loadSecret(swarm: string, storage: Pick<Storage, 'getItem'> = localStorage): string | null {
  const s = storage.getItem(SECRET_KEY(swarm));
  return s && HEX64.test(s) ? s : null;
}

/** The existing secret key for `swarm`, or a new one (saved). */
export function ensureSecret(swarm: string, storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage): string {
  const existing = loadSecret(swarm, storage);
  if (existing) return existing;
  const secret = newClassroomSecret();
  storage.setItem(SECRET_KEY(swarm), secret);
  return secret;
}

/** The room key this browser follows for `swarm`: its own (sharer) or its classroom link's (student). */
export function roomKeyFor(swarm: string, storage: Pick<Storage, 'getItem'> = localStorage): string | null {
  const secret = loadSecret(swarm, storage);
  if (secret) return classroomKeyOf(secret);
  const key = storage.getItem(ROOM_KEY(swarm));
  return key && HEX64.test(key) ? key : null;
}

/** A student opened the classroom link of `swarm` with room key `key`. */
export function saveRoomKey(swarm: string, key: string, storage: Pick<Storage, 'setItem'> = localStorage): void {
  if (HEX64.test(key)) storage.setItem(ROOM_KEY(swarm), key);
}

/** The next control sequence number for `swarm`: above every earlier one, after reloads too. */
export function nextSeq(swarm: string, storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage): number {
  const last = Number(storage.getItem(SEQ_KEY(swarm))) || 0;
  const seq = Math.max(last + 1, Date.now());
  storage.setItem(SEQ_KEY(swarm), String(seq));
  return seq;
}

const LINK_KEY = (swarm: string) => `swarmdrop.classroom.link.${swarm}`;
const LINK_SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * The sharer's share-link secret for `swarm`, kept when classroom mode is on so a projector tab in
 * the sharer's browser can show the students' classroom link. The projector link itself carries
 * the swarm id only: opened in another browser, the projector shows no join code.
 */
export function saveLinkSecret(swarm: string, secret: string, storage: Pick<Storage, 'setItem'> = localStorage): void {
  if (LINK_SECRET.test(secret)) storage.setItem(LINK_KEY(swarm), secret);
}

export function loadLinkSecret(swarm: string, storage: Pick<Storage, 'getItem'> = localStorage): string | null {
  const s = storage.getItem(LINK_KEY(swarm));
  return s && LINK_SECRET.test(s) ? s : null;
}
