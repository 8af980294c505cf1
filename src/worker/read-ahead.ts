/**
 * Reading a share's chunks back in order (the files' SHA-256 when a download completes, saving a
 * file) with the next few reads already under way: each read is an IndexedDB transaction and a
 * Blob read, mostly waiting, so keeping several in flight overlaps that wait with the hashing or
 * writing of the chunk before. Memory stays bounded: about `budgetBytes` of chunks at a time.
 */

/** Reads under way for chunks of `chunkSize`: `budgetBytes` worth, at least 1, at most 32. */
export function readAheadDepth(chunkSize: number, budgetBytes = 8 * 1024 * 1024): number {
  return Math.max(1, Math.min(32, Math.floor(budgetBytes / Math.max(1, chunkSize))));
}

/**
 * Yields `read(i)` for i = first..last in order, with up to `depth` reads started ahead. A failed
 * read rejects when its turn comes; reads started ahead of it settle unobserved (no unhandled
 * rejection), and none starts after the consumer stops.
 */
export async function* readAhead<T>(
  first: number,
  last: number,
  depth: number,
  read: (index: number) => Promise<T>,
): AsyncGenerator<T> {
  const inFlight: Array<Promise<T>> = [];
  let next = first;
  const start = (): void => {
    const p = read(next++);
    p.catch(() => undefined);
    inFlight.push(p);
  };
  while (next <= last && inFlight.length < depth) start();
  while (inFlight.length > 0) {
    const value = await inFlight.shift()!;
    if (next <= last) start();
    yield value;
  }
}
