/** A virtual Clock for tests and the simulator: time moves only when `advance` is called. */
import type { Clock, TimerHandle } from '../types';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly heap: Timer[] = [];

  constructor(startMs = 0) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    if (handle && typeof handle === 'object') (handle as Timer).cancelled = true;
  }

  /** Time of the next live timer, or undefined. */
  nextTimerAt(): number | undefined {
    while (this.heap.length && this.heap[0]!.cancelled) this.pop();
    return this.heap[0]?.at;
  }

  /** Moves time forward by `ms`, firing due timers in order (timers they set that fall due fire too). */
  advance(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  advanceTo(target: number): void {
    for (;;) {
      const next = this.nextTimerAt();
      if (next === undefined || next > target) break;
      const timer = this.pop()!;
      this.time = Math.max(this.time, timer.at);
      timer.fn();
    }
    this.time = Math.max(this.time, target);
  }

  /** Fires the single next timer (jumping time to it). Returns false when none is set. */
  fireNext(): boolean {
    const next = this.nextTimerAt();
    if (next === undefined) return false;
    this.advanceTo(next);
    return true;
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
