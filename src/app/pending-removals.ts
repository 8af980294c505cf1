/**
 * Shares removed in "My files" whose undo window is still open, kept in localStorage: if the page
 * is left before the window ends, the next page load finishes the removal (a worker call made
 * while the page unloads may not get done).
 */
const KEY = 'swarmdrop.pendingRemovals';

/** The parts of `localStorage` used here (absent where the browser has none). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function readPendingRemovals(storage: KeyValueStorage | undefined): Set<string> {
  try {
    const list: unknown = JSON.parse(storage?.getItem(KEY) ?? '[]');
    return new Set(Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

export function writePendingRemovals(storage: KeyValueStorage | undefined, ids: Iterable<string>): void {
  const list = [...ids];
  try {
    if (list.length) storage?.setItem(KEY, JSON.stringify(list));
    else storage?.removeItem(KEY);
  } catch {
    /* storage refused: the removal then only happens if the page stays open */
  }
}
