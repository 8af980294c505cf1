/**
 * The have-bitfield of a classroom stats message: packed MSB-first like BitTorrent (chunk 0 is bit 7
 * of byte 0), then base64. Hand-written base64 because protocol code has no DOM/Node globals.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Map([...ALPHABET].map((c, i) => [c, i]));

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
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += ALPHABET[a >> 2];
    out += ALPHABET[((a & 3) << 4) | ((b ?? 0) >> 4)];
    out += b === undefined ? '=' : ALPHABET[((b & 15) << 2) | ((c ?? 0) >> 6)];
    out += c === undefined ? '=' : ALPHABET[c & 63];
  }
  return out;
}

export function fromBase64(b64: string): Uint8Array {
  if (b64.length % 4 !== 0) throw new Error('base64 length is not a multiple of 4');
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((b64.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < b64.length; i += 4) {
    const n = [0, 1, 2, 3].map((k) => {
      const ch = b64[i + k]!;
      if (ch === '=' && i + k >= b64.length - pad) return 0;
      const v = LOOKUP.get(ch);
      if (v === undefined) throw new Error(`bad base64 character ${JSON.stringify(ch)}`);
      return v;
    });
    const word = (n[0]! << 18) | (n[1]! << 12) | (n[2]! << 6) | n[3]!;
    for (const shift of [16, 8, 0]) if (o < out.length) out[o++] = (word >> shift) & 255;
  }
  return out;
}
