/**
 * The simulator's agenda: a 4-ary min-heap of events ordered by virtual time, ties broken by
 * insertion order so runs are deterministic. Cancelled events stay in the heap and are skipped
 * when popped (cheaper than removing them from the middle).
 *
 * The keys (time, seq) live in two Float64Arrays beside the array of events, so a sift compares
 * numbers that sit next to each other in memory instead of reading two event objects scattered
 * over the heap: with 1,000 peers the comparisons were the largest single cost of a run (cache
 * misses), and four children per node halve the depth. The order is the same as any correct
 * priority queue's, since no two events share a (time, seq) key.
 */

/**
 * One scheduled action, run as `event.fn()`. `cancelled` is set by `cancel`; the queue then skips
 * it. Hot paths schedule objects of their own class (a method `fn`, no closure per event).
 */
export interface SimEvent {
  time: number;
  seq: number;
  fn(): void;
  cancelled: boolean;
}

const ARITY = 4;

export class EventQueue {
  private events: SimEvent[] = [];
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private length = 0;
  private nextSeq = 0;
  private live = 0;

  /** Number of scheduled, not cancelled, events. */
  get size(): number {
    return this.live;
  }

  push(time: number, fn: () => void): SimEvent {
    return this.insert({ time, seq: 0, fn, cancelled: false });
  }

  /** Schedules `ev` at `ev.time` (its seq is assigned here). */
  insert<E extends SimEvent>(ev: E): E {
    const time = ev.time;
    if (Number.isNaN(time)) throw new RangeError('event time is NaN');
    const seq = this.nextSeq++;
    ev.seq = seq;
    ev.cancelled = false;
    if (this.length === this.times.length) this.grow();
    const { times, seqs, events } = this;
    // Sift up: move parents down while the new key is smaller (seq is the largest so far, so a tie
    // on time always keeps the parent first).
    let i = this.length++;
    while (i > 0) {
      const parent = ((i - 1) / ARITY) | 0;
      if (!(time < times[parent]!)) break;
      times[i] = times[parent]!;
      seqs[i] = seqs[parent]!;
      events[i] = events[parent]!;
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    events[i] = ev;
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
    return this.length === 0 ? Infinity : this.times[0]!;
  }

  /** Removes and returns the earliest live event. */
  pop(): SimEvent | undefined {
    this.dropCancelled();
    if (this.length === 0) return undefined;
    const top = this.events[0]!;
    this.removeTop();
    this.live--;
    // Mark as spent so a late cancel() of a fired event does not corrupt the count.
    top.cancelled = true;
    return top;
  }

  private dropCancelled(): void {
    while (this.length > 0 && this.events[0]!.cancelled) this.removeTop();
  }

  private removeTop(): void {
    const { times, seqs, events } = this;
    const n = --this.length;
    const lastTime = times[n]!;
    const lastSeq = seqs[n]!;
    const last = events[n]!;
    events[n] = undefined as unknown as SimEvent; // let it be collected
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const first = ARITY * i + 1;
      if (first >= n) break;
      // The smallest of up to ARITY children.
      let c = first;
      let cTime = times[first]!;
      let cSeq = seqs[first]!;
      const end = Math.min(first + ARITY, n);
      for (let k = first + 1; k < end; k++) {
        const t = times[k]!;
        if (t < cTime || (t === cTime && seqs[k]! < cSeq)) {
          c = k;
          cTime = t;
          cSeq = seqs[k]!;
        }
      }
      if (!(cTime < lastTime || (cTime === lastTime && cSeq < lastSeq))) break;
      times[i] = cTime;
      seqs[i] = cSeq;
      events[i] = events[c]!;
      i = c;
    }
    times[i] = lastTime;
    seqs[i] = lastSeq;
    events[i] = last;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const seqs = new Float64Array(this.seqs.length * 2);
    times.set(this.times);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
  }
}
