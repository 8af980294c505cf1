/**
 * Time and timers for the tracker's sweeps and rate limits, injected so that tests drive them with a
 * virtual clock instead of waiting for wall time. The same shape as the engine's Clock, so either
 * virtual clock fits.
 */
export interface TrackerClock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** performance.now() and Node's timers, unref'd: a sweep never keeps the process alive. */
export const systemClock: TrackerClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Calls `fn` every `ms` on `clock` until the returned function is called. The next call is armed
 * before `fn` runs, as with setInterval, so a slow run does not stretch the period.
 */
export function every(clock: TrackerClock, ms: number, fn: () => void): () => void {
  let handle: unknown;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    handle = clock.setTimeout(tick, ms);
    fn();
  };
  handle = clock.setTimeout(tick, ms);
  return () => {
    stopped = true;
    clock.clearTimeout(handle);
  };
}
