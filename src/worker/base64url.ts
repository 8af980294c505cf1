/** base64url without padding (swarm ids are the base64url of the 32-byte info hash). */
import { base64urlnopad } from '@scure/base';

export function toBase64Url(bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes);
}

/** Undefined when `text` is not the (canonical) base64url of exactly `length` bytes. */
export function fromBase64Url(text: string, length = 32): Uint8Array | undefined {
  try {
    const bytes = base64urlnopad.decode(text);
    return bytes.length === length ? bytes : undefined;
  } catch {
    return undefined;
  }
}
