/**
 * Classroom mode messages, between peers / the projector and the tracker (WebSocket, JSON text
 * frames, alongside the messages of ./tracker.ts). Validated with zod before anything is believed,
 * on the tracker (from clients) and in the browser (from the tracker).
 *
 * Flow: the sharer `classroom-open`s its swarm with the SHA-256 of a secret its tab keeps; peers of
 * that swarm publish `classroom-stats` about once a second; anyone who knows the swarm id (it is in
 * the share link) may `classroom-watch` and receives the stats; `classroom-control` is accepted only
 * with the secret, and is relayed to every member and watcher.
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
    nb: z.array(z.tuple([peerId, rate, rate, z.number().int().min(0).max(15)])).max(MAX_NEIGHBORS),
  })
  .strict()
  .refine((s) => packedLength(s.h) === Math.ceil(s.n / 8), { message: 'bitfield length does not match chunk count' })
  .refine((s) => s.f.every((i) => i < s.n), { message: 'in-flight chunk index out of range' });

/**
 * The teacher's settings for the whole swarm. Peers apply it idempotently; a higher `round` than
 * the one a peer is in means: drop this share's chunks and download again.
 * Rates in bytes/s, 0 = no cap. `perPeer` overrides the defaults for single peers.
 */
export interface ClassroomControl {
  round: number;
  mode: ClassroomMode;
  sharerUp: number;
  peerUp: number;
  peerDown: number;
  perPeer: Record<string, { up?: number; down?: number }>;
}

export const controlSchema = z
  .object({
    round: z.number().int().min(0).max(1e6),
    mode: z.enum(['p2p', 'cs']),
    sharerUp: rate,
    peerUp: rate,
    peerDown: rate,
    perPeer: z
      .record(peerId, z.object({ up: rate.optional(), down: rate.optional() }).strict())
      .refine((r) => Object.keys(r).length <= 256, { message: 'too many per-peer caps' }),
  })
  .strict();

/** The SHA-256 of the sharer's secret, lowercase hex. */
const secretHash = z.string().regex(/^[0-9a-f]{64}$/);
/** The sharer's secret itself: 32 random bytes, hex. */
const secret = z.string().regex(/^[0-9a-f]{64}$/);

/** Sharer -> tracker: turn classroom mode on for `swarm`; the first registration's hash wins. */
export interface ClassroomOpenMessage {
  type: 'classroom-open';
  swarm: string;
  secretHash: string;
}
/** Watcher -> tracker: send me this swarm's stats and controls (knowing the swarm id is the permission). */
export interface ClassroomWatchMessage {
  type: 'classroom-watch';
  swarm: string;
}
/** Member -> tracker: my stats; relayed to the watchers tagged with the sender's id. */
export interface ClassroomStatsMessage {
  type: 'classroom-stats';
  swarm: string;
  stats: PeerStats;
}
/** Teacher -> tracker: new settings, accepted only when sha256(secret) matches the registered hash. */
export interface ClassroomControlMessage {
  type: 'classroom-control';
  swarm: string;
  secret: string;
  control: ClassroomControl;
}

/** Sharer -> tracker: turn classroom mode off (with the secret); members and watchers are told. */
export interface ClassroomCloseMessage {
  type: 'classroom-close';
  swarm: string;
  secret: string;
}

export type ClassroomClientMessage =
  | ClassroomOpenMessage
  | ClassroomWatchMessage
  | ClassroomStatsMessage
  | ClassroomControlMessage
  | ClassroomCloseMessage;

export const classroomOpenSchema = z.object({ type: z.literal('classroom-open'), swarm: swarmId, secretHash }).strict();
export const classroomWatchSchema = z.object({ type: z.literal('classroom-watch'), swarm: swarmId }).strict();
export const classroomStatsSchema = z
  .object({ type: z.literal('classroom-stats'), swarm: swarmId, stats: peerStatsSchema })
  .strict();
export const classroomControlSchema = z
  .object({ type: z.literal('classroom-control'), swarm: swarmId, secret, control: controlSchema })
  .strict();

export const classroomCloseSchema = z.object({ type: z.literal('classroom-close'), swarm: swarmId, secret }).strict();

export const classroomClientSchema = z.discriminatedUnion('type', [
  classroomOpenSchema,
  classroomWatchSchema,
  classroomStatsSchema,
  classroomControlSchema,
  classroomCloseSchema,
]);

/** Tracker -> watcher: one peer's stats; `from` is set by the tracker, never by the sender. */
export interface ClassroomStatsRelay {
  type: 'classroom-stats';
  swarm: string;
  from: string;
  stats: PeerStats;
}
/** Tracker -> watcher: who is in the swarm now (sent on watch and on every join/leave), and who the sharer is. */
export interface ClassroomMembers {
  type: 'classroom-members';
  swarm: string;
  peers: string[];
  sharer?: string;
}
/** Tracker -> member and watcher: the settings in force (sent on change, and once to each new member). */
export interface ClassroomControlRelay {
  type: 'classroom-control';
  swarm: string;
  control: ClassroomControl;
}
/** Tracker -> member and watcher: the sharer turned classroom mode off (caps and mode back to normal). */
export interface ClassroomClosed {
  type: 'classroom-closed';
  swarm: string;
}
/** Tracker -> client: a classroom request was refused. */
export interface ClassroomError {
  type: 'classroom-error';
  swarm?: string;
  code: ClassroomErrorCode;
  message: string;
}

export type ClassroomErrorCode =
  'not-classroom' | 'not-member' | 'bad-secret' | 'already-open' | 'too-large' | 'rate-limited' | 'bad-message';

export type ClassroomServerMessage =
  ClassroomStatsRelay | ClassroomMembers | ClassroomControlRelay | ClassroomClosed | ClassroomError;

export const classroomServerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('classroom-stats'), swarm: swarmId, from: peerId, stats: peerStatsSchema }).strict(),
  z
    .object({
      type: z.literal('classroom-members'),
      swarm: swarmId,
      peers: z.array(peerId).max(10_000),
      sharer: peerId.optional(),
    })
    .strict(),
  z.object({ type: z.literal('classroom-control'), swarm: swarmId, control: controlSchema }).strict(),
  z.object({ type: z.literal('classroom-closed'), swarm: swarmId }).strict(),
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
  if (text.length > MAX_STATS_BYTES + 512)
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
