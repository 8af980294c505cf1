/**
 * Classroom mode messages, between peers / the projector and the tracker (WebSocket, JSON text
 * frames, alongside the messages of ./tracker.ts). Validated with zod before anything is believed,
 * on the tracker (from clients) and in the browser (from the tracker).
 *
 * Flow: a room is a swarm plus the sharer's public key (classroom-signing.ts). The sharer
 * `classroom-open`s it; pages opened from the classroom link (which carries the key)
 * `classroom-join` and publish `classroom-stats` about once a second; a projector
 * `classroom-watch`es and receives the stats; `classroom-control` carries a control signed with the
 * sharer's secret key, checked by the tracker and again by every page. An ordinary share link has
 * no key, so its pages never apply a control.
 */
import { z } from 'zod';
import { SWARM_ID_PATTERN } from './tracker';
import {
  CLASSROOM_STATS_VERSION,
  MAX_CHUNKS,
  MAX_IN_FLIGHT,
  MAX_NEIGHBORS,
  MAX_STATS_BYTES,
  type ClassroomMode,
  type PeerStats,
} from './classroom-layout';

export * from './classroom-layout';

/** Rates and caps in bytes per second; a cap of 0 means "no cap". Upper bound just rejects nonsense. */
const MAX_RATE = 10 * 1024 ** 3;

const peerId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const swarmId = z.string().regex(SWARM_ID_PATTERN);
const rate = z.number().finite().min(0).max(MAX_RATE);
const base64 = z
  .string()
  .max(Math.ceil(MAX_CHUNKS / 8 / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/);

export const peerStatsSchema = z
  .object({
    v: z.literal(CLASSROOM_STATS_VERSION),
    role: z.enum(['s', 'p']),
    r: z.number().int().min(0).max(1e6),
    m: z.enum(['p2p', 'cs']),
    n: z.number().int().min(1).max(MAX_CHUNKS),
    F: z
      .number()
      .int()
      .min(1)
      .max(MAX_CHUNKS * 256 * 1024),
    h: base64,
    f: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(MAX_CHUNKS - 1),
      )
      .max(MAX_IN_FLIGHT),
    up: rate,
    dn: rate,
    cu: rate,
    cd: rate,
    el: z.number().int().min(0),
    dt: z.number().int().min(0).optional(),
    nb: z.array(z.tuple([peerId, rate, rate, z.number().int().min(0).max(31)])).max(MAX_NEIGHBORS),
  })
  .strict()
  .refine((s) => packedLength(s.h) === Math.ceil(s.n / 8), { message: 'bitfield length does not match chunk count' })
  .refine((s) => s.f.every((i) => i < s.n), { message: 'in-flight chunk index out of range' });

/**
 * The version of the classroom messages below. 2: rooms are keyed by the sharer's public key and
 * controls are signed (classroom-signing.ts); version 1 links and messages carry no key.
 */
export const CLASSROOM_PROTOCOL_VERSION = 2;

/** The smallest cap a teacher may set, bytes/s (0 = no cap): a lower one stalls a class, it teaches nothing. */
export const MIN_CAP = 16 * 1024;

/**
 * The defector window (the engine's defectAfterMs) of every peer in a classroom round; the sharer
 * judges after two windows (src/engine/pass-on.ts). A round lasts about D_P2P, 8-16 s with the
 * proposed caps, so the engine's 10 s (one rechoke period, for swarms of minutes) would judge
 * nobody before the round ends and free riders would be served like anyone (docs/ENGINE.md, "Free
 * riders and tit-for-tat"). 4 s is two housekeeping ticks: a neighbor is judged only after it
 * withheld at two of them, at least 2 s apart. In a class every interested neighbor fits in the
 * 4 + 1 slots, so an honest one unchokes us about a round-trip after our `interested`.
 */
export const CLASSROOM_DEFECT_AFTER_MS = 4_000;

/**
 * The teacher's settings for the whole swarm. Peers apply it idempotently; a higher `round` than
 * the one a peer is in means: download again (a complete download only with the user's consent).
 * Rates in bytes/s, 0 = no cap, else at least MIN_CAP. `perPeer` overrides the defaults for single peers.
 */
export interface ClassroomControl {
  round: number;
  mode: ClassroomMode;
  sharerUp: number;
  peerUp: number;
  peerDown: number;
  /** `free`: the peer is made a free rider (it uploads nothing; the lesson on tit-for-tat). */
  perPeer: Record<string, { up?: number; down?: number; free?: true }>;
}

/** What the sharer signs: the control, a sequence number that only grows, and `closed` to end the classroom. */
export interface ControlBody extends ClassroomControl {
  seq: number;
  closed?: true;
}

const cap = rate.refine((r) => r === 0 || r >= MIN_CAP, { message: `a cap is 0 (none) or at least ${MIN_CAP} B/s` });

const controlShape = {
  round: z.number().int().min(0).max(1e6),
  mode: z.enum(['p2p', 'cs']),
  sharerUp: cap,
  peerUp: cap,
  peerDown: cap,
  perPeer: z
    .record(peerId, z.object({ up: cap.optional(), down: cap.optional(), free: z.literal(true).optional() }).strict())
    .refine((r) => Object.keys(r).length <= 256, { message: 'too many per-peer caps' }),
};
export const controlSchema = z.object(controlShape).strict();
export const controlBodySchema = z
  .object({
    ...controlShape,
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    closed: z.literal(true).optional(),
  })
  .strict();

/** A signed control's body text, at most this long. */
export const MAX_CONTROL_BODY_BYTES = 24 * 1024;

/** The room's public key (Ed25519, hex): the classroom link carries it. */
const roomKey = z.string().regex(/^[0-9a-f]{64}$/);
/** An Ed25519 signature, hex. */
const signature = z.string().regex(/^[0-9a-f]{128}$/);
const controlBodyText = z.string().min(2).max(MAX_CONTROL_BODY_BYTES);

/** Sharer -> tracker: open the room (swarm, key); `proof` signs this connection's peer id. */
export interface ClassroomOpenMessage {
  type: 'classroom-open';
  swarm: string;
  key: string;
  proof: string;
}
/** Student page (opened from the classroom link) -> tracker: send me this room's controls. */
export interface ClassroomJoinMessage {
  type: 'classroom-join';
  swarm: string;
  key: string;
}
/** Projector -> tracker: send me the room's stats; `proof` (the teacher's) claims the reserved slot. */
export interface ClassroomWatchMessage {
  type: 'classroom-watch';
  swarm: string;
  key: string;
  proof?: string;
}
/** Member -> tracker: my stats; relayed to the watchers tagged with the sender's id. */
export interface ClassroomStatsMessage {
  type: 'classroom-stats';
  swarm: string;
  key: string;
  stats: PeerStats;
}
/** Teacher -> tracker: new settings, signed with the room's secret key (checked by tracker and pages). */
export interface ClassroomControlMessage {
  type: 'classroom-control';
  swarm: string;
  key: string;
  body: string;
  sig: string;
}

export type ClassroomClientMessage =
  ClassroomOpenMessage | ClassroomJoinMessage | ClassroomWatchMessage | ClassroomStatsMessage | ClassroomControlMessage;

export const classroomOpenSchema = z
  .object({ type: z.literal('classroom-open'), swarm: swarmId, key: roomKey, proof: signature })
  .strict();
export const classroomJoinSchema = z
  .object({ type: z.literal('classroom-join'), swarm: swarmId, key: roomKey })
  .strict();
export const classroomWatchSchema = z
  .object({ type: z.literal('classroom-watch'), swarm: swarmId, key: roomKey, proof: signature.optional() })
  .strict();
export const classroomStatsSchema = z
  .object({ type: z.literal('classroom-stats'), swarm: swarmId, key: roomKey, stats: peerStatsSchema })
  .strict();
export const classroomControlSchema = z
  .object({ type: z.literal('classroom-control'), swarm: swarmId, key: roomKey, body: controlBodyText, sig: signature })
  .strict();

export const classroomClientSchema = z.discriminatedUnion('type', [
  classroomOpenSchema,
  classroomJoinSchema,
  classroomWatchSchema,
  classroomStatsSchema,
  classroomControlSchema,
]);

/** Tracker -> sharer: the room is open; `hasControl` false asks it to send a first signed control. */
export interface ClassroomOpened {
  type: 'classroom-opened';
  swarm: string;
  key: string;
  hasControl: boolean;
}
/** Tracker -> watcher: one peer's stats; `from` is set by the tracker, never by the sender. */
export interface ClassroomStatsRelay {
  type: 'classroom-stats';
  swarm: string;
  key: string;
  from: string;
  stats: PeerStats;
}
/** Tracker -> watcher: who is in the room now (sent on watch and on every join/leave), and who the sharer is. */
export interface ClassroomMembers {
  type: 'classroom-members';
  swarm: string;
  key: string;
  peers: string[];
  sharer?: string;
}
/** Tracker -> member and watcher: the latest signed control, as the sharer signed it. */
export interface ClassroomControlRelay {
  type: 'classroom-control';
  swarm: string;
  key: string;
  body: string;
  sig: string;
}
/** Tracker -> client: a classroom request was refused. */
export interface ClassroomError {
  type: 'classroom-error';
  swarm?: string;
  code: ClassroomErrorCode;
  message: string;
}

export type ClassroomErrorCode =
  | 'not-classroom'
  | 'not-member'
  | 'bad-secret'
  | 'already-open'
  | 'too-large'
  | 'rate-limited'
  | 'bad-message'
  | 'full';

export type ClassroomServerMessage =
  ClassroomOpened | ClassroomStatsRelay | ClassroomMembers | ClassroomControlRelay | ClassroomError;

export const classroomServerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('classroom-opened'), swarm: swarmId, key: roomKey, hasControl: z.boolean() }).strict(),
  z
    .object({ type: z.literal('classroom-stats'), swarm: swarmId, key: roomKey, from: peerId, stats: peerStatsSchema })
    .strict(),
  z
    .object({
      type: z.literal('classroom-members'),
      swarm: swarmId,
      key: roomKey,
      peers: z.array(peerId).max(10_000),
      sharer: peerId.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('classroom-control'),
      swarm: swarmId,
      key: roomKey,
      body: controlBodyText,
      sig: signature,
    })
    .strict(),
  z
    .object({
      type: z.literal('classroom-error'),
      swarm: swarmId.optional(),
      code: z.enum([
        'not-classroom',
        'not-member',
        'bad-secret',
        'already-open',
        'too-large',
        'rate-limited',
        'bad-message',
        'full',
      ]),
      message: z.string().max(500),
    })
    .strict(),
]);

/** Thrown by the parse helpers; `code` says what was wrong. */
export class ClassroomMessageError extends Error {
  constructor(
    readonly code: 'too-large' | 'bad-message',
    message: string,
  ) {
    super(message);
    this.name = 'ClassroomMessageError';
  }
}

/** Parses and validates a client message (already JSON-decoded). Size is checked on the raw text by the caller. */
export function parseClassroomClient(value: unknown): ClassroomClientMessage {
  const r = classroomClientSchema.safeParse(value);
  if (!r.success) throw new ClassroomMessageError('bad-message', describe(r.error));
  return r.data;
}

/** Parses and validates a message from the tracker, checking the size of the raw text first. */
export function parseClassroomServer(text: string): ClassroomServerMessage {
  if (text.length > Math.max(MAX_STATS_BYTES, MAX_CONTROL_BODY_BYTES * 2) + 1024)
    throw new ClassroomMessageError('too-large', `message of ${text.length} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ClassroomMessageError('bad-message', 'not JSON');
  }
  const r = classroomServerSchema.safeParse(value);
  if (!r.success) throw new ClassroomMessageError('bad-message', describe(r.error));
  return r.data;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid message';
}

/** Byte length of a base64 string without decoding it. */
function packedLength(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - pad;
}
