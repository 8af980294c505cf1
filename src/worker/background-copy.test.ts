import { describe, expect, it } from 'vitest';
import { BackgroundCopy, type CopyRun, type CopyTarget } from './background-copy';
import { SourceChangedError } from './chunk-pipeline';
import { StorageFullError } from './idb-chunk-store';
import type { ShareSummary } from './protocol';

function target() {
  const log: string[] = [];
  let summary = { swarmId: 's', totalSize: 10, copy: { state: 'copying', bytes: 0 } } as unknown as ShareSummary;
  let stopped = false;
  const t: CopyTarget = {
    isStopped: () => stopped,
    summary: () => summary,
    setSummary: (s) => (summary = s),
    seedFromStorage: async () => void log.push('seedFromStorage'),
    save: async () => void log.push(`save ${summary.copy?.state}`),
    show: () => void log.push(`show ${summary.copy?.state}`),
    forgetRecord: async () => void log.push('forgetRecord'),
    reportError: (code) => void log.push(`error ${code}`),
    sourceLost: async () => void log.push('sourceLost'),
  };
  return { t, log, summary: () => summary, stop: () => (stopped = true) };
}

/** A run the test settles by hand. */
function manualRun() {
  let resolve!: (v: string[]) => void;
  let reject!: (e: Error) => void;
  let signal!: AbortSignal;
  let progress!: (b: number) => void;
  const run: CopyRun = (s, p) => {
    signal = s;
    progress = p;
    return new Promise((res, rej) => ((resolve = res), (reject = rej)));
  };
  return {
    run,
    resolve: (v: string[]) => resolve(v),
    reject: (e: Error) => reject(e),
    signal: () => signal,
    progress: (b: number) => progress(b),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('background copy', () => {
  it('shows progress, then seeds from storage, stores the record and shows each file SHA-256', async () => {
    const { t, log, summary } = target();
    const m = manualRun();
    new BackgroundCopy(m.run, t);
    m.progress(4);
    expect(summary().copy).toEqual({ state: 'copying', bytes: 4 });
    m.resolve(['ab']);
    await settle();
    expect(log).toEqual(['seedFromStorage', 'save copied', 'show copied']);
    expect(summary()).toMatchObject({ sha256: ['ab'], copy: { state: 'copied', bytes: 10 } });
  });

  it('a full disk forgets the record (never saved again), says storage-full and keeps seeding from the files', async () => {
    const { t, log, summary } = target();
    const m = manualRun();
    new BackgroundCopy(m.run, t);
    m.reject(new Error('put failed', { cause: new StorageFullError('full') }));
    await settle();
    expect(log).toEqual(['forgetRecord', 'error storage-full', 'show failed']);
    expect(summary().copy).toEqual({ state: 'failed', bytes: 0 });
  });

  it('a changed file hands over to sourceLost and nothing else', async () => {
    const { t, log } = target();
    const m = manualRun();
    new BackgroundCopy(m.run, t);
    m.reject(new SourceChangedError('chunk 3'));
    await settle();
    expect(log).toEqual(['sourceLost']);
  });

  it('cancel aborts the run and waits for it to settle; a stopped share gets no outcome', async () => {
    const { t, log, stop } = target();
    const m = manualRun();
    const copy = new BackgroundCopy(m.run, t);
    stop();
    let cancelled = false;
    const c = copy.cancel().then(() => (cancelled = true));
    expect(m.signal().aborted).toBe(true);
    await settle();
    expect(cancelled).toBe(false); // still waiting for the run's writes to settle
    m.reject(new Error('aborted'));
    await c;
    expect(log).toEqual([]);
  });

  it('cancel after the run settled returns at once', async () => {
    const { t } = target();
    const m = manualRun();
    const copy = new BackgroundCopy(m.run, t);
    m.resolve([]);
    await settle();
    await copy.cancel();
    expect(m.signal().aborted).toBe(false);
  });
});
