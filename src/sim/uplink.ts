/**
 * One peer's upload link, shared by its outgoing flows by processor sharing (PS): while n flows
 * have bytes queued, each is served at capacity / n, exactly, as a fluid. Messages within a flow
 * leave in order; a message leaves when its last byte has been served.
 *
 * Implementation: the classic GPS "virtual time" trick. V(t) is the amount of service each active
 * flow has received since the link was created; it grows at capacity / n. A flow whose head message
 * started at V0 finishes it when V reaches V0 + size, so the flows sit in a min-heap keyed by that
 * finish tag, and the link needs only one pending event (the smallest tag). Activating or
 * finishing a flow is O(log n); nothing loops over all flows.
 */
import type { SimEvent, VirtualClock } from '../engine/index';

/** A sender->receiver byte stream as the uplink sees it (the transport implements it). */
export interface UplinkFlow {
  /** Size in bytes of the message at the head of the flow's queue (the one being served). */
  headSize(): number;
  /** The head message's last byte was served; return true when another message is queued. */
  headSent(): boolean;
  /** Set by the uplink while the flow is scheduled. */
  finishTag: number;
  heapIndex: number;
  readonly flowId: number;
}

export class Uplink {
  /** Service per active flow so far, in bytes. */
  private v = 0;
  private lastUpdate = 0;
  private readonly heap: UplinkFlow[] = [];
  private pending: SimEvent | null = null;
  /** Bytes fully served (for tests and statistics). */
  bytesSent = 0;

  /** `bytesPerSecond` may be Infinity: messages then leave at once. */
  constructor(
    private readonly clock: VirtualClock,
    readonly bytesPerSecond: number,
  ) {
    if (!(bytesPerSecond > 0)) throw new RangeError(`upload capacity must be positive, got ${bytesPerSecond}`);
  }

  get activeFlows(): number {
    return this.heap.length;
  }

  /** The flow went from empty to non-empty. */
  activate(flow: UplinkFlow): void {
    if (flow.heapIndex >= 0) return;
    this.advance();
    flow.finishTag = this.v + flow.headSize();
    this.insert(flow);
    this.reschedule();
  }

  /** The flow was closed: drop it and its share. */
  remove(flow: UplinkFlow): void {
    if (flow.heapIndex < 0) return;
    this.advance();
    this.removeAt(flow.heapIndex);
    this.reschedule();
  }

  private advance(): void {
    const now = this.clock.now();
    const n = this.heap.length;
    if (n > 0 && now > this.lastUpdate && Number.isFinite(this.bytesPerSecond))
      this.v += ((now - this.lastUpdate) / 1000) * (this.bytesPerSecond / n);
    this.lastUpdate = now;
  }

  private reschedule(): void {
    if (this.pending) {
      this.clock.queue.cancel(this.pending);
      this.pending = null;
    }
    const top = this.heap[0];
    if (top === undefined) return;
    const n = this.heap.length;
    const waitMs = Math.max(0, ((top.finishTag - this.v) * n * 1000) / this.bytesPerSecond);
    this.pending = this.clock.schedule(new UplinkDone(this.clock.now() + waitMs, this));
  }

  /** The pending event fired (UplinkDone). */
  complete(): void {
    this.pending = null;
    this.advance();
    const top = this.heap[0];
    if (top === undefined) return;
    // The event was timed for the top's tag: snap V to it so rounding never accumulates.
    if (top.finishTag > this.v) this.v = top.finishTag;
    const eps = 1e-9 * Math.max(1, this.v);
    // Every flow whose head is done now (ties are common: equal messages started together).
    while (this.heap.length > 0 && this.heap[0]!.finishTag <= this.v + eps) {
      const flow = this.heap[0]!;
      this.bytesSent += flow.headSize();
      this.removeAt(0);
      // headSent may call back into the transport (drain listeners may send more): that only
      // appends to queues or calls activate(), both safe here.
      if (flow.headSent() && flow.heapIndex < 0) {
        flow.finishTag = this.v + flow.headSize();
        this.insert(flow);
      }
    }
    this.reschedule();
  }

  // ---- indexed binary heap on finishTag (ties by flowId: deterministic) ----
  private less(a: UplinkFlow, b: UplinkFlow): boolean {
    return a.finishTag < b.finishTag || (a.finishTag === b.finishTag && a.flowId < b.flowId);
  }

  private insert(flow: UplinkFlow): void {
    flow.heapIndex = this.heap.length;
    this.heap.push(flow);
    this.up(flow.heapIndex);
  }

  private removeAt(i: number): void {
    const heap = this.heap;
    const gone = heap[i]!;
    const last = heap.pop()!;
    gone.heapIndex = -1;
    if (i < heap.length) {
      heap[i] = last;
      last.heapIndex = i;
      this.up(i);
      this.down(last.heapIndex);
    }
  }

  private up(i: number): void {
    const heap = this.heap;
    const item = heap[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(item, heap[p]!)) break;
      heap[i] = heap[p]!;
      heap[i]!.heapIndex = i;
      i = p;
    }
    heap[i] = item;
    item.heapIndex = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(heap[r]!, heap[l]!) ? r : l;
      if (!this.less(heap[c]!, item)) break;
      heap[i] = heap[c]!;
      heap[i]!.heapIndex = i;
      i = c;
    }
    heap[i] = item;
    item.heapIndex = i;
  }
}

/** The uplink's one pending event: its earliest head message is done. */
class UplinkDone implements SimEvent {
  seq = 0;
  cancelled = false;
  constructor(
    public time: number,
    private readonly uplink: Uplink,
  ) {}
  fn(): void {
    this.uplink.complete();
  }
}
