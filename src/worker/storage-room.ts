/**
 * Is there room for a download? Asked before any chunk is requested, from the browser's storage
 * estimate (quota minus usage for this site). Chromium's estimate is the real quota only where the
 * browser reports it: since Chrome 138 it reports usage + min(10 GiB, disk size) to sites without
 * unlimited storage, so there a full disk shows up as the quota error on write instead (handled in
 * session.ts). Safari and Firefox report their real limits.
 */

/** Keep this much more than the bytes themselves: IndexedDB's own overhead. */
export const STORAGE_MARGIN = 1.05;

export interface Room {
  /** Bytes still to store. */
  needed: number;
  /** Bytes the browser says this site may still use. */
  free: number;
}

/** Free bytes for this site per the storage estimate; undefined when the browser doesn't say. */
export async function freeStorage(
  storage: Pick<StorageManager, 'estimate'> | undefined = globalThis.navigator?.storage,
): Promise<number | undefined> {
  const estimate = await storage?.estimate?.().catch(() => undefined);
  if (!estimate?.quota) return undefined;
  return Math.max(0, estimate.quota - (estimate.usage ?? 0));
}

/** The shortfall, or undefined when `needed` bytes fit (or nothing is known). */
export function lackOfRoom(needed: number, free: number | undefined): Room | undefined {
  if (free === undefined || needed <= 0) return undefined;
  return free >= needed * STORAGE_MARGIN ? undefined : { needed, free };
}
