/**
 * Strict UTF-8 for the wire and the metadata: the platform's codec, decoding with `fatal` (overlong
 * forms, surrogates and truncated sequences are refused) and keeping a leading BOM as text, so
 * each string has exactly one byte form.
 */

// The core tsconfig has no DOM or Node types; every runtime this code runs in (browsers, workers,
// Node) has both classes.
declare const TextEncoder: new () => { encode(text: string): Uint8Array };
declare const TextDecoder: new (
  label: 'utf-8',
  options: { fatal: boolean; ignoreBOM: boolean },
) => { decode(bytes: Uint8Array): string };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Lone surrogates become U+FFFD. */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Returns undefined for anything that is not well-formed UTF-8. */
export function utf8Decode(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
