/**
 * Hand-written checks for the tracker's hot path: a relayed `signal` is most of what a tracker
 * parses, and running it through zod cost an envelope, a result object and a copy of the message
 * per frame. `isSignalMessage` accepts exactly what `signalSchema` (tracker-schema.ts) accepts;
 * whatever it refuses goes through the zod schema, so the error reply naming the bad field stays
 * the one place errors are worded (and tracker-guards.test.ts checks both agree).
 */
import { parseJson } from './json.ts';
import { PEER_ID_PATTERN, SWARM_ID_PATTERN, type SignalMessage } from './tracker.ts';

/** How deeply a signal payload may nest; SDP/ICE objects need 3. Deeper would only cost stack. */
export const MAX_PAYLOAD_DEPTH = 8;

/** True if `value` has at most `depth` levels of arrays/objects inside it (JSON values only). */
export function nestsAtMost(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth === 0) return false;
  // Indexes and for-in instead of Object.values: no array per level. JSON.parse makes dense
  // arrays and plain objects with only own keys, so both visit exactly Object.values' children.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!nestsAtMost(value[i], depth - 1)) return false;
    return true;
  }
  const object = value as Record<string, unknown>;
  for (const key in object) if (!nestsAtMost(object[key], depth - 1)) return false;
  return true;
}

/** A parsed JSON object with a string `type`: what every frame must be. */
export type Envelope = { type: string } & Record<string, unknown>;

/**
 * JSON.parse for the hot path: the object if `text` is a JSON object with a string `type`,
 * else undefined (then `parseEnvelope` in tracker-schema.ts says what is wrong). Never throws.
 */
export function parseObject(text: string): Envelope | undefined {
  const value = parseJson(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return typeof (value as { type?: unknown }).type === 'string' ? (value as Envelope) : undefined;
}

/**
 * True iff `signalSchema` accepts `m`: type "signal", a swarm id and a peer id in their formats,
 * a payload that is present and nested at most MAX_PAYLOAD_DEPTH deep. Unknown fields are ignored
 * (zod strips them; the relay never forwards them).
 */
export function isSignalMessage(m: Envelope): m is Envelope & SignalMessage {
  const { swarm, to, payload } = m;
  return (
    m.type === 'signal' &&
    typeof swarm === 'string' &&
    SWARM_ID_PATTERN.test(swarm) &&
    typeof to === 'string' &&
    PEER_ID_PATTERN.test(to) &&
    payload !== undefined &&
    nestsAtMost(payload, MAX_PAYLOAD_DEPTH)
  );
}

/**
 * The relayed frame for a checked signal, built as text: swarm and peer ids are base64url (no
 * escaping needed) and only the payload is serialised. Same JSON as
 * `JSON.stringify({ type: 'signal', swarm, from, payload })`, without the intermediate object.
 */
export function signalRelayText(swarm: string, from: string, payload: unknown): string {
  return signalRelayTextOfJson(swarm, from, JSON.stringify(payload));
}

/** The same, for a payload already serialised (a relay that crossed tracker instances). */
export function signalRelayTextOfJson(swarm: string, from: string, payloadJson: string): string {
  return '{"type":"signal","swarm":"' + swarm + '","from":"' + from + '","payload":' + payloadJson + '}';
}
