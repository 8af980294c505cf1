/**
 * Memory of neighbors kept by peer id (reciprocity.ts, pass-on.ts), bounded so a hostile peer
 * reconnecting under fresh ids cannot grow it without end: the oldest entry goes first.
 */

/** Peer ids remembered at most per set or map. */
export const MAX_REMEMBERED = 4096;

export function rememberId(set: Set<string>, id: string): void {
  if (set.has(id)) return;
  if (set.size >= MAX_REMEMBERED) set.delete(set.values().next().value!);
  set.add(id);
}

/** Sets `id`'s value and makes it the newest entry. */
export function rememberValue<T>(map: Map<string, T>, id: string, value: T): void {
  map.delete(id);
  if (map.size >= MAX_REMEMBERED) map.delete(map.keys().next().value!);
  map.set(id, value);
}
