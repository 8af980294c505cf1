/** What kind of failure an engine or copy error is, through its `cause` chain. */
import { SourceChangedError } from './chunk-pipeline';
import { StorageFullError } from './idb-chunk-store';

/** The disk is full: our StorageFullError, or the engine's store error wrapping it. */
export function isStorageFull(error: unknown): boolean {
  return causes(error).some((e) => e instanceof StorageFullError || e.name === 'QuotaExceededError');
}

/** A sharer's file changed on disk (read from the files, not from storage). */
export function isSourceChanged(error: unknown): boolean {
  return causes(error).some((e) => e instanceof SourceChangedError);
}

function causes(error: unknown): Array<{ name?: string; cause?: unknown }> {
  const out: Array<{ name?: string; cause?: unknown }> = [];
  for (let e = error as { name?: string; cause?: unknown } | undefined; e && out.length < 4; e = e.cause as typeof e)
    out.push(e);
  return out;
}
