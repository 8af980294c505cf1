/**
 * Strict UTF-8 without TextEncoder/TextDecoder (the core tsconfig has no DOM or Node types).
 * Decoding rejects overlong forms, surrogates and truncated sequences: the metadata encoding must
 * have exactly one byte form per string.
 */

export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // lone surrogate
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return Uint8Array.from(out);
}

/** Returns undefined for anything that is not well-formed UTF-8. */
export function utf8Decode(bytes: Uint8Array): string | undefined {
  let text = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i]!;
    let code: number;
    let need: number;
    let min: number;
    if (b0 < 0x80) {
      text += String.fromCharCode(b0);
      i++;
      continue;
    } else if ((b0 & 0xe0) === 0xc0) {
      code = b0 & 0x1f;
      need = 1;
      min = 0x80;
    } else if ((b0 & 0xf0) === 0xe0) {
      code = b0 & 0x0f;
      need = 2;
      min = 0x800;
    } else if ((b0 & 0xf8) === 0xf0) {
      code = b0 & 0x07;
      need = 3;
      min = 0x10000;
    } else return undefined;
    for (let k = 1; k <= need; k++) {
      const b = bytes[i + k];
      if (b === undefined || (b & 0xc0) !== 0x80) return undefined;
      code = (code << 6) | (b & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
    text += String.fromCodePoint(code);
    i += need + 1;
  }
  return text;
}
