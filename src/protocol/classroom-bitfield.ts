/**
 * The have-bitfield of a classroom stats message: packed MSB-first like BitTorrent (chunk 0 is bit 7
 * of byte 0), then base64 (padded).
 */
import { base64 } from '@scure/base';

/** Packs `count` flags (`has(i)` for chunk i) into base64. */
export function packBitfield(count: number, has: (index: number) => boolean): string {
  const bytes = new Uint8Array(Math.ceil(count / 8));
  for (let i = 0; i < count; i++) if (has(i)) bytes[i >> 3]! |= 0x80 >> (i & 7);
  return toBase64(bytes);
}

/** Unpacks a base64 bitfield of `count` chunks; throws on bad base64 or a wrong length. */
export function unpackBitfield(b64: string, count: number): boolean[] {
  const bytes = fromBase64(b64);
  if (bytes.length !== Math.ceil(count / 8)) throw new Error(`bitfield of ${bytes.length} bytes for ${count} chunks`);
  const out = new Array<boolean>(count);
  for (let i = 0; i < count; i++) out[i] = (bytes[i >> 3]! & (0x80 >> (i & 7))) !== 0;
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

/** Throws a clear error on bad characters, a bad length or bad padding. */
export function fromBase64(b64: string): Uint8Array {
  try {
    return base64.decode(b64);
  } catch (err) {
    throw new Error(`bad base64: ${(err as Error).message}`, { cause: err });
  }
}
