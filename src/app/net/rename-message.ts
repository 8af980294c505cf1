/**
 * The page-to-page note "the tracker knows me by a new id now". It lets a neighbor recognise us
 * under the new id and not open a second connection to the same tab after a tracker reconnect.
 *
 * A note on the data channel alone proves nothing about the id it names (any neighbor could claim
 * the sharer's id), so the tracker has to vouch for it. The note carries a random nonce, sent on
 * simple-peer's own data channel of the connection (chunk bytes use the separate 'chunks'
 * channel). The receiver asks the claimed id through the tracker (`rename-check` with that nonce,
 * a `signal` payload); only the tab that made the nonce answers (`renamed` with it), and the
 * tracker itself sets the answer's `from`. The rename is believed when that `from` is the claimed
 * id (swarm-connector.ts). Asking, rather than the renamed tab telling, works when both tabs got
 * new ids: each knows its own new id, and the asker's `from` is current.
 * Wire form, data channel: JSON `{"type":"renamed","v":2,"peerId":"<new id>","nonce":"<32 hex>"}`;
 * tracker payloads: `{"type":"rename-check","v":2,"nonce":…}` and `{"type":"renamed","v":2,"nonce":…}`.
 */
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { PEER_ID_PATTERN } from '../../protocol/tracker';
import { decodeChannelNote } from './channel-note';

export const RENAME_MESSAGE_VERSION = 2;
/** Longer input is not a rename note and is not parsed. */
const MAX_RENAME_BYTES = 256;
const NONCE_PATTERN = /^[0-9a-f]{32}$/;

export interface RenameNote {
  peerId: string;
  nonce: string;
}

export function newRenameNonce(): string {
  return bytesToHex(randomBytes(16));
}

/** The data-channel note. */
export function encodeRename(peerId: string, nonce: string): string {
  return JSON.stringify({ type: 'renamed', v: RENAME_MESSAGE_VERSION, peerId, nonce });
}

/** The question to the claimed id, through the tracker: "did you make this nonce?" */
export function renameCheck(nonce: string): { type: 'rename-check'; v: number; nonce: string } {
  return { type: 'rename-check', v: RENAME_MESSAGE_VERSION, nonce };
}

/** The answer, through the tracker (which adds the sender's real id as `from`). */
export function renameVouch(nonce: string): { type: 'renamed'; v: number; nonce: string } {
  return { type: 'renamed', v: RENAME_MESSAGE_VERSION, nonce };
}

/** A tracker-relayed rename question or answer, or undefined when the payload is neither. */
export function decodeRenameSignal(payload: unknown): { kind: 'check' | 'vouch'; nonce: string } | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const { type, v, nonce } = payload as Record<string, unknown>;
  if (v !== RENAME_MESSAGE_VERSION || typeof nonce !== 'string' || !NONCE_PATTERN.test(nonce)) return undefined;
  if (type === 'rename-check') return { kind: 'check', nonce };
  if (type === 'renamed') return { kind: 'vouch', nonce };
  return undefined;
}

/** The data-channel note, or undefined for anything else (malformed input from a peer never throws). */
export function decodeRename(data: unknown): RenameNote | undefined {
  const value = decodeChannelNote(data, MAX_RENAME_BYTES);
  if (!value) return undefined;
  const { type, v, peerId, nonce } = value;
  if (
    type !== 'renamed' ||
    v !== RENAME_MESSAGE_VERSION ||
    typeof peerId !== 'string' ||
    !PEER_ID_PATTERN.test(peerId) ||
    typeof nonce !== 'string' ||
    !NONCE_PATTERN.test(nonce)
  )
    return undefined;
  return { peerId, nonce };
}
