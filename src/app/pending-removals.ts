/**
 * Shares removed in "My files" whose undo window is still open, kept in localStorage: if the page
 * is left before the window ends, the next page load finishes the removal (a worker call made
 * while the page unloads may not get done).
 */
const KEY = 'swarmdrop.pendingRemovals';

export function readPendingRemovals(): Set<string> {
  try {
    const list: unknown = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '[]');
    return new Set(Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

export function writePendingRemovals(ids: Iterable<string>): void {
  const list = [...ids];
  try {
    if (list.length) globalThis.localStorage?.setItem(KEY, JSON.stringify(list));
    else globalThis.localStorage?.removeItem(KEY);
  } catch {
    /* storage refused: the removal then only happens if the page stays open */
  }
}
