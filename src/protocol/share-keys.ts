/**
 * Private share links (docs/PROTOCOL.md, "Share links"; docs/SECURITY.md, "Private shares").
 *
 * The link secret is 32 bytes, 43 base64url characters in the URL fragment (never sent to a
 * server): a random 16-byte seed R, then the first 16 bytes of the share's info hash (SHA-256 of
 * its plaintext metadata). Everything else comes from R by HKDF-SHA256 with distinct info
 * strings, one way: the swarm id the tracker sees, the chunk key, the metadata key and the peer
 * authentication key. The info-hash prefix binds the link to one file: a peer holding the link
 * can't hand out other metadata under it.
 *
 * Derivation is synchronous (@noble/hashes: a few hundred bytes of HMAC, the same in secure and
 * plain-http pages), so a view can compute a link's swarm id while it renders.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';
import { utf8Encode } from './utf8';

/** The link format's version: `#/s/<secret>` links. `#/d/<info hash>` links (version 2) are refused. */
export const LINK_VERSION = 3;
export const SEED_BYTES = 16;
export const INFO_HASH_PREFIX_BYTES = 16;
export const LINK_SECRET_BYTES = SEED_BYTES + INFO_HASH_PREFIX_BYTES;
/** 43 base64url characters (no padding). */
export const LINK_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** HKDF salt: names the scheme and its version, so a future scheme derives unrelated keys. */
const SALT = utf8Encode('swarmdrop share link v3');
const INFO = {
  swarmId: 'swarm id',
  chunkKey: 'chunk key (AES-256-CTR)',
  metadataKey: 'metadata key (AES-256-GCM)',
  authKey: 'peer auth key (HMAC-SHA256)',
} as const;

export interface ShareKeys {
  /** base64url of 32 derived bytes: what the tracker and the engines' handshakes see. */
  swarmId: string;
  /** The same 32 bytes. */
  swarmIdBytes: Uint8Array;
  /** AES-256 key for the chunks (32 bytes). */
  chunkKey: Uint8Array;
  /** AES-256-GCM key for the metadata peers exchange (32 bytes). */
  metadataKey: Uint8Array;
  /** HMAC-SHA256 key of the per-channel challenge-response (src/app/net/peer-auth.ts), 32 bytes. */
  authKey: Uint8Array;
  /** The first 16 bytes of the info hash the link names. */
  infoHashPrefix: Uint8Array;
}

/** What is wrong with a link, for a plain message (src/app/i18n: `link.*`). */
export type LinkProblem = 'old-version' | 'malformed';

export class LinkError extends Error {
  override name = 'LinkError';
  constructor(
    readonly problem: LinkProblem,
    message: string,
  ) {
    super(message);
  }
}

function derive(seed: Uint8Array, info: string): Uint8Array {
  return hkdf(sha256, seed, SALT, utf8Encode(info), 32);
}

/** The keys of the seed alone (a share being created: its info hash is not known yet). */
export function keysFromSeed(
  seed: Uint8Array,
  infoHashPrefix: Uint8Array = new Uint8Array(INFO_HASH_PREFIX_BYTES),
): ShareKeys {
  if (seed.length !== SEED_BYTES) throw new LinkError('malformed', `seed must be ${SEED_BYTES} bytes`);
  const swarmIdBytes = derive(seed, INFO.swarmId);
  return {
    swarmId: base64urlnopad.encode(swarmIdBytes),
    swarmIdBytes,
    chunkKey: derive(seed, INFO.chunkKey),
    metadataKey: derive(seed, INFO.metadataKey),
    authKey: derive(seed, INFO.authKey),
    infoHashPrefix: infoHashPrefix.slice(),
  };
}

/** Every key of a 32-byte link secret. Throws LinkError on a wrong length. */
export function shareKeys(linkSecret: Uint8Array): ShareKeys {
  if (linkSecret.length !== LINK_SECRET_BYTES)
    throw new LinkError('malformed', `link secret must be ${LINK_SECRET_BYTES} bytes, not ${linkSecret.length}`);
  return keysFromSeed(linkSecret.subarray(0, SEED_BYTES), linkSecret.subarray(SEED_BYTES));
}

/** The design's async entry point (shareKeys is synchronous; this is for callers that await). */
export function deriveShareKeys(linkSecret: Uint8Array): Promise<ShareKeys> {
  return Promise.resolve().then(() => shareKeys(linkSecret));
}

/** The link secret of a new share: its seed and its info hash. */
export function makeLinkSecret(seed: Uint8Array, infoHash: Uint8Array): Uint8Array {
  if (seed.length !== SEED_BYTES || infoHash.length < INFO_HASH_PREFIX_BYTES)
    throw new LinkError('malformed', 'seed must be 16 bytes and the info hash at least 16');
  const out = new Uint8Array(LINK_SECRET_BYTES);
  out.set(seed, 0);
  out.set(infoHash.subarray(0, INFO_HASH_PREFIX_BYTES), SEED_BYTES);
  return out;
}

export function formatLinkSecret(secret: Uint8Array): string {
  if (secret.length !== LINK_SECRET_BYTES) throw new LinkError('malformed', 'link secret must be 32 bytes');
  return base64urlnopad.encode(secret);
}

/** The 32 bytes of a link secret's text. Throws LinkError('malformed') on anything but 43 canonical base64url chars. */
export function parseLinkSecret(text: string): Uint8Array {
  if (!LINK_SECRET_PATTERN.test(text))
    throw new LinkError('malformed', 'a share link ends in 43 letters, digits, - or _');
  let bytes: Uint8Array;
  try {
    bytes = base64urlnopad.decode(text);
  } catch {
    throw new LinkError('malformed', 'the link is cut or altered');
  }
  if (bytes.length !== LINK_SECRET_BYTES) throw new LinkError('malformed', 'the link is cut or altered');
  return bytes;
}

/** True when `infoHash` (32 bytes) is the one the link names. */
export function matchesLink(keys: Pick<ShareKeys, 'infoHashPrefix'>, infoHash: Uint8Array): boolean {
  const p = keys.infoHashPrefix;
  if (infoHash.length < p.length) return false;
  let diff = 0;
  for (let i = 0; i < p.length; i++) diff |= p[i]! ^ infoHash[i]!;
  return diff === 0;
}
