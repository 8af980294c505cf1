/**
 * A virtual clock (the engine's `Clock`, the app's `Scheduler`, the tracker's clock), driven by the
 * simulator's event queue. Time is in milliseconds like the real clock; nothing here ever waits
 * for wall time. The one virtual clock of the project: tests step it with `advance`, the
 * simulator runs it. It lives in protocol, the room every other one may import.
 */
import { EventQueue, type SimEvent } from './event-queue';

export class VirtualClock {
  private current = 0;

  constructor(readonly queue: EventQueue = new EventQueue()) {}

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): SimEvent {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    return this.queue.push(this.current + delay, fn);
  }

  clearTimeout(handle: unknown): void {
    if (handle && typeof handle === 'object' && 'cancelled' in handle) this.queue.cancel(handle as SimEvent);
  }

  /** Runs `fn` at virtual time `at` (ms), never in the past. */
  at(at: number, fn: () => void): SimEvent {
    return this.queue.push(Math.max(at, this.current), fn);
  }

  /**
   * Runs every event due up to and including `until` (ms) in time order, advancing the clock.
   * Returns how many ran. The caller yields to the host between batches so promise continuations
   * started by these events (hashing, storage) run before time moves on much further.
   */
  runUntil(until: number, maxEvents = Infinity): number {
    let ran = 0;
    const q = this.queue;
    while (ran < maxEvents && q.peekTime() <= until) {
      const ev = q.pop()!;
      if (ev.time > this.current) this.current = ev.time;
      ev.fn();
      ran++;
    }
    return ran;
  }

  /** Schedules an event object at its own time, never in the past. */
  schedule<E extends SimEvent>(ev: E): E {
    if (ev.time < this.current) ev.time = this.current;
    return this.queue.insert(ev);
  }

  /** Moves time forward by `ms`, running every event that falls due (and those they schedule within it). */
  advance(ms: number): void {
    const target = this.current + ms;
    this.runUntil(target);
    this.advanceTo(target);
  }

  /** Moves the clock forward without running anything (e.g. to a deadline with an empty queue). */
  advanceTo(t: number): void {
    if (t > this.current) this.current = t;
  }
}
