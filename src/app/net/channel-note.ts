/**
 * The JSON object of a small page-to-page note on simple-peer's own channel (rename-message.ts,
 * renew-message.ts), or undefined: anything longer than `maxBytes`, not UTF-8, not JSON or not an
 * object is dropped before it is parsed further (malformed input from a peer never throws).
 */
export function decodeChannelNote(data: unknown, maxBytes: number): Record<string, unknown> | undefined {
  let text: string;
  if (typeof data === 'string') text = data;
  else if (data instanceof Uint8Array || data instanceof ArrayBuffer) {
    if (data.byteLength > maxBytes) return undefined;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      return undefined;
    }
  } else return undefined;
  if (text.length > maxBytes) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}
