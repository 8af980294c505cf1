/**
 * Runtime checks for the tracker protocol (zod). Nothing from the network is believed before it
 * passes through `decodeClientMessage` (server side) or `decodeServerMessage` (browser side).
 * Decoding never throws: it returns either the typed message or a `DecodeError` that names the
 * problem in words a developer can act on.
 */
import { z } from 'zod';
import {
  PEER_ID_PATTERN,
  SWARM_ID_PATTERN,
  type AnnounceMessage,
  type ClientMessage,
  type ErrorMessage,
  type HelloMessage,
  type LeaveMessage,
  type PeerGoneMessage,
  type PeersMessage,
  type ServerMessage,
  type SignalMessage,
  type SignalRelayMessage,
  type TrackerErrorCode,
  type WelcomeMessage,
} from './tracker.ts';
import { MAX_PAYLOAD_DEPTH, nestsAtMost, type Envelope } from './tracker-guards.ts';

export { MAX_PAYLOAD_DEPTH, type Envelope };

const swarmId = z.string().regex(SWARM_ID_PATTERN, 'must be base64url of a 32-byte hash (43 characters)');
const peerId = z.string().regex(PEER_ID_PATTERN, 'must be a server-assigned peer id (16 base64url characters)');
/** Opaque, but present (`undefined` would vanish in JSON) and shallow. */
const payload = z
  .unknown()
  .refine((v) => v !== undefined, 'is required')
  .refine((v) => nestsAtMost(v, MAX_PAYLOAD_DEPTH), `is nested more than ${MAX_PAYLOAD_DEPTH} levels deep`);

export const helloSchema: z.ZodType<HelloMessage> = z.object({ type: z.literal('hello'), version: z.number() });
export const announceSchema: z.ZodType<AnnounceMessage> = z.object({
  type: z.literal('announce'),
  swarm: swarmId,
  want: z.number().int().min(0).max(1000).optional(),
});
export const signalSchema: z.ZodType<SignalMessage> = z.object({
  type: z.literal('signal'),
  swarm: swarmId,
  to: peerId,
  payload,
});
export const leaveSchema: z.ZodType<LeaveMessage> = z.object({ type: z.literal('leave'), swarm: swarmId });

/** Schema per client message type. */
export const clientSchemas: { [K in ClientMessage['type']]: z.ZodType<Extract<ClientMessage, { type: K }>> } = {
  hello: helloSchema,
  announce: announceSchema,
  signal: signalSchema,
  leave: leaveSchema,
};

/** Schema per server message type (used by the browser's tracker client). */
export const serverSchemas: { [K in ServerMessage['type']]: z.ZodType<Extract<ServerMessage, { type: K }>> } = {
  welcome: z.object({ type: z.literal('welcome'), version: z.number(), peerId }) satisfies z.ZodType<WelcomeMessage>,
  peers: z.object({
    type: z.literal('peers'),
    swarm: swarmId,
    peers: z.array(peerId),
  }) satisfies z.ZodType<PeersMessage>,
  signal: z.object({
    type: z.literal('signal'),
    swarm: swarmId,
    from: peerId,
    payload,
  }) satisfies z.ZodType<SignalRelayMessage>,
  'peer-gone': z.object({ type: z.literal('peer-gone'), swarm: swarmId, peerId }) satisfies z.ZodType<PeerGoneMessage>,
  error: z.object({
    type: z.literal('error'),
    code: z.string(), // extensions may add their own codes
    message: z.string(),
    ref: z.string().optional(),
  }) satisfies z.ZodType<ErrorMessage>,
};

/** Why a frame was refused; `code` is the tracker error code to answer with. */
export interface DecodeError {
  ok: false;
  code: TrackerErrorCode;
  message: string;
  ref?: string;
}
/** A frame that passed its schema. */
export interface Decoded<T> {
  ok: true;
  message: T;
}

/** Parses a text frame into an object with a string `type`, or says what is wrong with it. */
export function parseEnvelope(text: string): Decoded<Envelope> | DecodeError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, code: 'bad-json', message: `not valid JSON (${(err as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'bad-json', message: 'expected a JSON object' };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return { ok: false, code: 'bad-json', message: 'missing string field "type"' };
  return { ok: true, message: value as Envelope };
}

/** Checks an envelope against a schema; the error names the first bad field. */
export function checkSchema<T>(schema: z.ZodType<T>, envelope: Envelope): Decoded<T> | DecodeError {
  const result = schema.safeParse(envelope);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(message)';
  const code: TrackerErrorCode =
    issue.path[0] === 'swarm' && typeof envelope.swarm === 'string' ? 'bad-swarm' : 'bad-message';
  return { ok: false, code, message: `${envelope.type}: field "${field}" ${describeIssue(issue)}`, ref: envelope.type };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `must be ${issue.expected}`;
  return issue.message;
}

function hasKey<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(table, key);
}

/** Server side: a text frame from a client, checked against the core client schemas. */
export function decodeClientMessage(text: string): Decoded<ClientMessage> | DecodeError {
  const envelope = parseEnvelope(text);
  if (!envelope.ok) return envelope;
  const type = envelope.message.type;
  if (!hasKey(clientSchemas, type))
    return { ok: false, code: 'unknown-type', message: `unknown message type "${type}"`, ref: type };
  return checkSchema<ClientMessage>(clientSchemas[type], envelope.message);
}

/** Browser side: a text frame from the tracker, checked against the core server schemas. */
export function decodeServerMessage(text: string): Decoded<ServerMessage> | DecodeError {
  const envelope = parseEnvelope(text);
  if (!envelope.ok) return envelope;
  const type = envelope.message.type;
  if (!hasKey(serverSchemas, type))
    return { ok: false, code: 'unknown-type', message: `unknown message type "${type}"`, ref: type };
  return checkSchema<ServerMessage>(serverSchemas[type], envelope.message);
}
