/**
 * The background copy of a share created here (docs/APP.md, "Share creation"): every chunk read
 * again from the sharer's files, checked, fed to the per-file SHA-256 and stored in IndexedDB while
 * the share already seeds from the files. This module owns the copy's run (its abort and its
 * settling) and decides what each outcome means for the share; the session applies it.
 */
import type { ShareSummary, WorkerErrorCode } from './protocol';
import { isSourceChanged, isStorageFull } from './share-errors';

/** Stores every chunk; resolves to each file's SHA-256 (hex), clearing what it stored if it fails. */
export type CopyRun = (signal: AbortSignal, onProgress: (bytes: number) => void) => Promise<string[]>;

/** What the copy needs from its share session. */
export interface CopyTarget {
  isStopped(): boolean;
  summary(): ShareSummary;
  setSummary(s: ShareSummary): void;
  /** The copy is stored: serve from IndexedDB from now on (flushes first). */
  seedFromStorage(): Promise<void>;
  /** Writes the share's record. */
  save(): Promise<void>;
  /** Shows the summary to the page. */
  show(): void;
  /** The copy failed for storage reasons: the share must not come back after a reload. */
  forgetRecord(): Promise<void>;
  reportError(code: WorkerErrorCode, message: string): void;
  /** A shared file changed: stop serving it, say so, keep nothing half-stored. */
  sourceLost(err: Error): Promise<void>;
}

export interface CopyMode {
  /**
   * A handle-backed share: the run stores nothing and only computes each file's SHA-256; the share
   * keeps seeding from the original files. A read failure still stops it.
   */
  keepsSource?: boolean;
}

export class BackgroundCopy {
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;
  private settled = false;

  /**
   * Done: the share seeds from storage and survives a reload. Failed: a changed file stops the
   * share; a storage failure leaves it seeding from the files while the page stays open.
   */
  constructor(run: CopyRun, target: CopyTarget, opts: CopyMode = {}) {
    const onProgress = (bytes: number): void => {
      if (!target.isStopped() && !opts.keepsSource)
        target.setSummary({ ...target.summary(), copy: { state: 'copying', bytes } });
    };
    this.done = run(this.abort.signal, onProgress).then(
      async (sha256) => {
        this.settled = true;
        if (target.isStopped()) return;
        const s = target.summary();
        if (opts.keepsSource) target.setSummary({ ...s, sha256 });
        else {
          await target.seedFromStorage();
          target.setSummary({ ...s, sha256, copy: { state: 'copied', bytes: s.totalSize } });
        }
        await target.save();
        target.show();
      },
      async (err: Error) => {
        this.settled = true; // cancel() must not wait for it (sourceLost removes the share)
        if (target.isStopped()) return;
        if (isSourceChanged(err)) return target.sourceLost(err);
        if (!opts.keepsSource) target.setSummary({ ...target.summary(), copy: { state: 'failed', bytes: 0 } });
        await target.forgetRecord().catch(() => undefined);
        target.reportError(isStorageFull(err) ? 'storage-full' : 'storage-failed', err.message);
        target.show();
      },
    );
  }

  /** Stops the copy and waits until its writes settle (the run clears them), unless it settled already. */
  async cancel(): Promise<void> {
    if (this.settled) return;
    this.abort.abort();
    await this.done.catch(() => undefined);
  }
}
