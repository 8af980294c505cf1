/**
 * Drives a virtual clock to completion. The engine is async in places (hashing and storage return
 * promises), and a promise continuation only runs once the JS stack is empty. So the loop runs the
 * events of one short window of virtual time (a "quantum", 1 ms by default), then yields to the
 * host event loop, which runs every pending continuation at the time of the window's last event.
 * Continuations are thus at most one quantum late in virtual time, and yields are bounded by
 * (virtual duration / quantum), not by the number of events.
 */
import type { VirtualClock } from '../engine/index';

export interface RunOptions {
  /** Stop as soon as this returns true (checked after every window). */
  done: () => boolean;
  /** Give up at this virtual time (ms). */
  deadlineMs: number;
  /** Width of one window of virtual time (ms). */
  quantumMs?: number;
  /** Lets pending promise continuations run; defaults to a macrotask (setImmediate/setTimeout). */
  yieldToHost?: () => Promise<void>;
}

type HostTimers = { setImmediate?: (fn: () => void) => unknown; setTimeout?: (fn: () => void, ms: number) => unknown };

export function defaultYield(): Promise<void> {
  const g = globalThis as unknown as HostTimers;
  if (g.setImmediate) return new Promise((resolve) => g.setImmediate!(resolve));
  return new Promise((resolve) => g.setTimeout!(resolve, 0));
}

/** Returns 'done', 'deadline' or 'idle' (nothing left to happen and not done). */
export async function runClock(clock: VirtualClock, options: RunOptions): Promise<'done' | 'deadline' | 'idle'> {
  const quantum = options.quantumMs ?? 1;
  const yieldToHost = options.yieldToHost ?? defaultYield;
  let idleYields = 0;
  await yieldToHost();
  for (;;) {
    if (options.done()) return 'done';
    const next = clock.queue.peekTime();
    if (next === Infinity) {
      // Nothing scheduled: continuations may still schedule something; give them a few chances.
      if (++idleYields > 3) return 'idle';
      await yieldToHost();
      continue;
    }
    idleYields = 0;
    if (next > options.deadlineMs) {
      clock.advanceTo(options.deadlineMs);
      return 'deadline';
    }
    clock.runUntil(next + quantum);
    await yieldToHost();
  }
}
