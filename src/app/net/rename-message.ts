/**
 * The page-to-page note "the tracker knows me by a new id now", sent on simple-peer's own data
 * channel (chunk bytes use the separate 'chunks' channel, so this one is free for it). It lets a
 * neighbor recognise us under the new id and not open a second connection to the same tab after a
 * tracker reconnect. Wire form: JSON `{"type":"renamed","v":1,"peerId":"<tracker peer id>"}`.
 */
import { PEER_ID_PATTERN } from '../../protocol/tracker';

export const RENAME_MESSAGE_VERSION = 1;
/** Longer input is not a rename note and is not parsed. */
const MAX_RENAME_BYTES = 256;

export function encodeRename(peerId: string): string {
  return JSON.stringify({ type: 'renamed', v: RENAME_MESSAGE_VERSION, peerId });
}

/** The new peer id, or undefined for anything else (malformed input from a peer never throws). */
export function decodeRename(data: unknown): string | undefined {
  let text: string;
  if (typeof data === 'string') text = data;
  else if (data instanceof Uint8Array || data instanceof ArrayBuffer) {
    if (data.byteLength > MAX_RENAME_BYTES) return undefined;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      return undefined;
    }
  } else return undefined;
  if (text.length > MAX_RENAME_BYTES) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const { type, v, peerId } = value as Record<string, unknown>;
  if (type !== 'renamed' || v !== RENAME_MESSAGE_VERSION || typeof peerId !== 'string' || !PEER_ID_PATTERN.test(peerId))
    return undefined;
  return peerId;
}
