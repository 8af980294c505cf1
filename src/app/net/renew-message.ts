/**
 * The page-to-page notes that give a connection a fresh 'chunks' channel when one side starts its
 * download over (a classroom round drops the file and starts a new engine): the new engine gets
 * new channels on the WebRTC connections that are already up and authenticated, instead of new
 * connections (tracker, ICE, DTLS and peer-auth again, about a second on a loaded machine).
 *
 * The side that starts over picks the next negotiated stream id, creates its end of the channel
 * (held in the worker) and sends `renew`; the neighbor creates its end with the same id, hands it
 * to its engine (which replaces its old link to us) and answers `renewed`; only then does our new
 * engine get its end, so nothing is sent on a stream the neighbor has not opened. Two sides that
 * start over at once pick the same id and so make one channel: each takes the other's `renew` as
 * the answer. Sent on simple-peer's own channel, which only carries notes once both sides proved
 * they hold the link (peer-auth.ts).
 * Wire form: JSON `{"type":"chunks-renew","v":1,"id":N}` and `{"type":"chunks-renewed","v":1,"id":N}`.
 */
import { decodeChannelNote } from './channel-note';

export const RENEW_MESSAGE_VERSION = 1;
/** The negotiated id of a connection's first 'chunks' channel (swarm-connector.ts); renewals count up from it. */
export const FIRST_CHUNKS_ID = 1000;
/** SCTP stream ids end at 65534 (65535 is reserved). */
export const MAX_CHUNKS_ID = 65_534;
/** Longer input is not a renew note and is not parsed. */
const MAX_RENEW_BYTES = 128;

export interface RenewNote {
  kind: 'renew' | 'renewed';
  id: number;
}

export function encodeRenew(note: RenewNote): string {
  return JSON.stringify({
    type: note.kind === 'renew' ? 'chunks-renew' : 'chunks-renewed',
    v: RENEW_MESSAGE_VERSION,
    id: note.id,
  });
}

/** The note, or undefined for anything else (malformed input from a peer never throws). */
export function decodeRenew(data: unknown): RenewNote | undefined {
  // A cheap test before parsing: this channel also carries rename notes.
  if (typeof data === 'string' && !data.includes('chunks-renew')) return undefined;
  const value = decodeChannelNote(data, MAX_RENEW_BYTES);
  if (!value) return undefined;
  const { type, v, id } = value;
  if (v !== RENEW_MESSAGE_VERSION || !Number.isInteger(id)) return undefined;
  const n = id as number;
  if (n <= FIRST_CHUNKS_ID || n > MAX_CHUNKS_ID) return undefined;
  if (type === 'chunks-renew') return { kind: 'renew', id: n };
  if (type === 'chunks-renewed') return { kind: 'renewed', id: n };
  return undefined;
}
