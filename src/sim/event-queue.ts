/**
 * The simulator's agenda: a binary min-heap of events ordered by virtual time, ties broken by
 * insertion order so runs are deterministic. Cancelled events stay in the heap and are skipped
 * when popped (cheaper than removing them from the middle).
 */

/** One scheduled action. `cancelled` is set by `cancel`; the queue then skips it. */
export interface SimEvent {
  readonly time: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

export class EventQueue {
  private readonly heap: SimEvent[] = [];
  private nextSeq = 0;
  private live = 0;

  /** Number of scheduled, not cancelled, events. */
  get size(): number {
    return this.live;
  }

  push(time: number, fn: () => void): SimEvent {
    if (Number.isNaN(time)) throw new RangeError('event time is NaN');
    const ev: SimEvent = { time, seq: this.nextSeq++, fn, cancelled: false };
    const heap = this.heap;
    let i = heap.length;
    heap.push(ev);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(ev, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = ev;
    this.live++;
    return ev;
  }

  cancel(ev: SimEvent): void {
    if (!ev.cancelled) {
      ev.cancelled = true;
      this.live--;
    }
  }

  /** Time of the earliest live event, or Infinity when there is none. */
  peekTime(): number {
    this.dropCancelled();
    const top = this.heap[0];
    return top === undefined ? Infinity : top.time;
  }

  /** Removes and returns the earliest live event. */
  pop(): SimEvent | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (top === undefined) return undefined;
    this.removeTop();
    this.live--;
    // Mark as spent so a late cancel() of a fired event does not corrupt the count.
    top.cancelled = true;
    return top;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.removeTop();
  }

  private removeTop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    const n = heap.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[c]!, last)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
  }
}
