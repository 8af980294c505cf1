/**
 * File names as the page shows them. A name comes from the sharer, who may be hostile: bidi
 * overrides ("invoice\u202Egpj.exe" renders as "invoiceexe.jpg"), zero-width and other invisible
 * format characters, control characters, or a run of spaces pushing the real extension out of
 * sight. Every such character is replaced by a visible U+FFFD, whitespace runs become one space,
 * an over-long name is shortened in the middle, and the extension is split off so the view can
 * show it on its own, after the rest, whatever direction the rest takes (FileName.tsx).
 */

/** Shown in place of each invisible or control character. */
export const REPLACEMENT = '\uFFFD';
/** Longest name shown whole (in code points); longer ones keep their start and end. */
export const MAX_SHOWN = 120;
const KEEP_END = 24;

// Cc: C0 and C1 controls. Cf: format characters (bidi embeddings, overrides and isolates, LRM/RLM,
// ALM, zero-width space/joiners, word joiner, BOM, soft hyphen, invisible operators, tags).
// Zl/Zp: line and paragraph separators. Variation selectors and the Hangul fillers also render as
// nothing.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}\u115F\u1160\u3164\uFFA0]/gu;
const SPACES = /\s+/gu;
/** An extension worth showing apart: a dot then 1-16 letters or digits, at the very end. */
const EXTENSION = /\.[\p{L}\p{N}]{1,16}$/u;

export interface DisplayName {
  /** The name without its extension (neutralised; maybe shortened with "…"). */
  base: string;
  /** The real extension with its dot (".exe"), or "" if there is none. */
  ext: string;
  /** base + ext: for text contexts such as aria-label or a title. */
  text: string;
}

/** `raw` neutralised for display; see the module comment. */
export function displayName(raw: string): DisplayName {
  const clean = raw.replace(HIDDEN, REPLACEMENT).replace(SPACES, ' ').trim();
  const match = EXTENSION.exec(clean);
  const ext = match && match.index > 0 ? match[0] : '';
  let base = ext ? clean.slice(0, -ext.length) : clean;
  const points = [...base];
  if (points.length + ext.length > MAX_SHOWN) {
    const keepStart = Math.max(1, MAX_SHOWN - KEEP_END - ext.length - 1);
    base = points.slice(0, keepStart).join('') + '…' + points.slice(-KEEP_END).join('');
  }
  return { base, ext, text: base + ext };
}

/**
 * `raw` as the name a download is saved under: the hidden characters dropped (not replaced: a file
 * system name shows them as nothing, or refuses them), whitespace runs folded, so what reaches the
 * disk ends in its real extension ("invoice\u202Egpj.exe" is saved as "invoicegpj.exe").
 */
export function saveAsName(raw: string): string {
  const clean = raw.replace(HIDDEN, '').replace(SPACES, ' ').trim();
  return clean === '' ? 'download' : clean;
}
