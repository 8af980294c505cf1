/**
 * The simulated network: hosts with an upload capacity, a download capacity and a one-way access
 * latency, and connections between them, each an ordered reliable message channel exposed to the
 * engine as its `Transport`.
 *
 * Model (docs/SIMULATOR.md): a message first crosses the sender's uplink, which serves all of the
 * sender's non-empty outgoing flows by processor sharing (src/sim/uplink.ts). Then it propagates
 * for latency(sender) + latency(receiver), then crosses the receiver's downlink, a FIFO queue
 * served at the download capacity (which therefore caps what a host receives in total), and is
 * delivered. Store-and-forward per message; nothing is copied: the receiver gets the very object
 * the sender passed in. The network is generic in the message type M, with a `sizeOf` that says how
 * many bytes a message occupies on the wire: Uint8Array for a byte `Transport`, the engine's
 * decoded wire messages for its `MessageLink` (no encoding, a 256 KiB piece passes by reference).
 */
import type { Transport } from '../engine/index';
import type { Uplink, UplinkFlow } from './uplink';
import { Uplink as UplinkImpl } from './uplink';
import type { SimEvent, VirtualClock } from '../engine/index';
import { Listeners } from '../protocol/listeners';

/** Capacities in bytes per second (Infinity allowed), latency in milliseconds. */
export interface HostSpec {
  upBytesPerSecond: number;
  downBytesPerSecond: number;
  latencyMs: number;
}

export class Host {
  readonly uplink: Uplink;
  /** Virtual time (ms) at which the downlink finishes what it has queued. */
  downFreeAt = 0;
  alive = true;
  readonly connections = new Set<{ close(): void }>();
  /** Every channel that ever delivered to this host (each counts its own bytes: a delivery touches only its flow). */
  readonly inbound: Array<{ readonly bytesDelivered: number }> = [];

  /** Bytes delivered to this host. */
  get bytesReceived(): number {
    let total = 0;
    for (const flow of this.inbound) total += flow.bytesDelivered;
    return total;
  }

  constructor(
    readonly id: number,
    readonly spec: HostSpec,
    clock: VirtualClock,
  ) {
    if (!(spec.downBytesPerSecond > 0))
      throw new RangeError(`download capacity must be positive, got ${spec.downBytesPerSecond}`);
    if (!(spec.latencyMs >= 0)) throw new RangeError(`latency must be >= 0 ms, got ${spec.latencyMs}`);
    this.uplink = new UplinkImpl(clock, spec.upBytesPerSecond);
  }
}

type Listener<T> = (value: T) => void;

/** One direction of a connection: the sender's queue and the receiver's listeners. */
export class Channel<M> implements UplinkFlow {
  finishTag = 0;
  heapIndex = -1;
  private queue: M[] = [];
  private head = 0;
  private buffered = 0;
  /** onceBelow's threshold and listener, until the queue falls to it (-1: none asked). */
  private belowAt = -1;
  private belowListener: (() => void) | null = null;
  /**
   * The RECEIVER's message listeners (registered through `reverse.onMessage`), kept on the flow
   * that delivers to them, copied on change: a delivery reads only this flow, not the reverse one
   * and a Set (per-message memory reads were most of a 1,000-peer run's cost).
   */
  receivers: Listener<M>[] = [];
  /** Mirrors conn.closed (read once per delivery, so it sits on the flow). */
  closed = false;
  private readonly drainListeners = new Listeners<void>();
  readonly closeListeners = new Listeners<void>();
  reverse!: Channel<M>;
  /** The latest scheduled delivery on this channel, joined by messages due at the same instant. */
  batch: Delivery<M> | null = null;
  // What every message on this flow needs, copied here from the hosts (fewer objects read per message).
  readonly fromLatencyMs: number;
  readonly toLatencyMs: number;
  readonly toDownBytesPerSecond: number;
  /** The sender's uplink has infinite capacity: messages leave at once. */
  readonly instantUplink: boolean;
  private readonly uplink: Uplink;
  /** Bytes this flow delivered to its receiver (Host.bytesReceived sums them). */
  bytesDelivered = 0;

  constructor(
    readonly flowId: number,
    private readonly net: Network<M>,
    readonly conn: Connection<M>,
    readonly from: Host,
    readonly to: Host,
  ) {
    this.fromLatencyMs = from.spec.latencyMs;
    this.toLatencyMs = to.spec.latencyMs;
    this.toDownBytesPerSecond = to.spec.downBytesPerSecond;
    this.instantUplink = !Number.isFinite(from.uplink.bytesPerSecond);
    this.uplink = from.uplink;
    to.inbound.push(this);
  }

  // ---- Transport (the sender's end) ----
  get bufferedAmount(): number {
    return this.buffered;
  }

  /** Largest block a link carries (the engine's MessageLink asks; the simulator allows a whole chunk). */
  get maxBlockBytes(): number {
    return this.net.maxBlockBytes;
  }

  send(message: M): void {
    if (this.closed) return;
    this.net.messagesSent++;
    const size = this.net.sizeOf(message);
    if (this.instantUplink || (size <= this.net.tinyBytes && this.queue.length === this.head)) {
      // A tiny control message on an idle channel leaves at once (see Network.tinyBytes).
      this.uplink.bytesSent += size;
      this.net.propagate(this, message, size);
      return;
    }
    this.buffered += size;
    this.queue.push(message);
    if (this.queue.length - this.head === 1) this.uplink.activate(this);
  }

  onMessage(listener: Listener<M>): () => void {
    const inbound = this.reverse;
    inbound.receivers = [...inbound.receivers, listener];
    return () => {
      inbound.receivers = inbound.receivers.filter((l) => l !== listener);
    };
  }

  onDrain(listener: () => void): () => void {
    return this.drainListeners.add(listener);
  }

  /** `listener` once, when the queue next falls to `bytes` or below: the moment a message leaves. */
  onceBelow(bytes: number, listener: () => void): void {
    this.belowAt = bytes;
    this.belowListener = listener;
  }

  onClose(listener: () => void): () => void {
    return this.closeListeners.add(listener);
  }

  /** Nothing is decoded, so nothing can be malformed: never fires (MessageLink compatibility). */
  onError(_listener: (error: Error) => void): () => void {
    return () => {};
  }

  close(): void {
    this.net.closeConnection(this.conn);
  }

  // ---- UplinkFlow ----
  headSize(): number {
    // Zero-byte messages still take a (vanishing) turn; give them one byte of service.
    return Math.max(1, this.net.sizeOf(this.queue[this.head]!));
  }

  headSent(): boolean {
    const msg = this.queue[this.head]!;
    this.queue[this.head++] = undefined as unknown as M;
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    const before = this.buffered;
    const msgSize = this.net.sizeOf(msg);
    this.buffered -= msgSize;
    this.net.propagate(this, msg, msgSize);
    // Tiny messages queued right behind it leave with it (see Network.tinyBytes).
    while (this.queue.length > this.head) {
      const next = this.queue[this.head]!;
      const size = this.net.sizeOf(next);
      if (size > this.net.tinyBytes) break;
      this.queue[this.head++] = undefined as unknown as M;
      this.buffered -= size;
      this.uplink.bytesSent += size;
      this.net.propagate(this, next, size);
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    if (before > this.net.lowWaterMark && this.buffered <= this.net.lowWaterMark) {
      this.drainListeners.emit();
    }
    if (this.belowAt >= 0 && this.buffered <= this.belowAt) {
      const listener = this.belowListener!;
      this.belowAt = -1;
      this.belowListener = null;
      listener();
    }
    return this.queue.length > this.head && !this.closed;
  }

  /** Drops everything queued (the connection closed). */
  discard(): void {
    this.queue = [];
    this.head = 0;
    this.buffered = 0;
    this.belowAt = -1;
    this.belowListener = null;
    this.uplink.remove(this);
  }
}

/** The event that hands one or more messages of one channel to the receiver (no closure per message). */
class Delivery<M> implements SimEvent {
  seq = 0;
  cancelled = false;
  more: M[] | null = null;

  constructor(
    public time: number,
    private readonly net: Network<M>,
    public flow: Channel<M>,
    public first: M,
  ) {}

  fn(): void {
    this.net.deliverBatch(this);
  }
}

/** A bidirectional channel between two hosts. */
export class Connection<M> {
  closed = false;
  handle!: { close(): void };
  readonly ab: Channel<M>;
  readonly ba: Channel<M>;

  constructor(
    net: Network<M>,
    id: number,
    readonly a: Host,
    readonly b: Host,
  ) {
    this.ab = new Channel(2 * id, net, this, a, b);
    this.ba = new Channel(2 * id + 1, net, this, b, a);
    this.ab.reverse = this.ba;
    this.ba.reverse = this.ab;
  }
}

export class Network<M> {
  private readonly hosts: Host[] = [];
  private nextConn = 0;
  /** onDrain fires when a flow's queue falls to this many bytes or fewer (bufferedamountlow). */
  lowWaterMark = 256 * 1024;
  messagesSent = 0;
  messagesDelivered = 0;
  /** Delivery events that fired, reused by propagate (one object per message was most of the garbage). */
  private readonly spareDeliveries: Delivery<M>[] = [];

  /**
   * Messages of at most this many bytes (have, request, cancel, choke, ...) get no uplink or
   * downlink service time of their own: on an idle channel they leave at once, behind a big one
   * they leave with it. Their bytes are counted but not timed: with 5-13 byte control messages
   * against 256 KiB pieces that is well under 0.1 % of the traffic, and it saves two events per
   * control message. 0 times every message.
   */
  tinyBytes = 64;
  /** See Channel.maxBlockBytes. */
  maxBlockBytes = 16 * 1024 * 1024;

  constructor(
    readonly clock: VirtualClock,
    /** Bytes a message occupies on the wire. */
    readonly sizeOf: (message: M) => number,
  ) {}

  addHost(spec: HostSpec): Host {
    const host = new Host(this.hosts.length, spec, this.clock);
    this.hosts.push(host);
    return host;
  }

  /** Opens a channel; returns the transport at `a` and the transport at `b`. */
  connect(a: Host, b: Host): [Channel<M>, Channel<M>] {
    if (!a.alive || !b.alive) throw new Error('cannot connect a host that left');
    if (a === b) throw new Error('a host cannot connect to itself');
    const conn = new Connection(this, this.nextConn++, a, b);
    const handle = { close: () => this.closeConnection(conn) };
    conn.handle = handle;
    a.connections.add(handle);
    b.connections.add(handle);
    return [conn.ab, conn.ba];
  }

  /**
   * A channel's message left its sender's uplink: it reaches the receiver's downlink after the
   * path latency and queues there (FIFO at the download capacity); one event delivers it.
   * The downlink slot is reserved now, at departure, which keeps it to one event per message:
   * with unequal latencies a message may queue behind one that departed earlier but arrives
   * later (order within a channel is always kept; see docs/SIMULATOR.md).
   */
  propagate(flow: Channel<M>, msg: M, size: number): void {
    const to = flow.to;
    const arrival = this.clock.now() + flow.fromLatencyMs + flow.toLatencyMs;
    const rate = flow.toDownBytesPerSecond;
    let at = arrival;
    if (Number.isFinite(rate)) {
      at = Math.max(arrival, to.downFreeAt);
      if (size > this.tinyBytes) {
        at += (size * 1000) / rate;
        to.downFreeAt = at;
      }
    }
    // One event per instant and channel: a message due when the previous one is joins its batch.
    const last = flow.batch;
    if (last !== null && last.time === at && !last.cancelled) {
      (last.more ??= []).push(msg);
      return;
    }
    // Always through the queue, even at zero delay: the receiver never runs inside the sender's send().
    const spare = this.spareDeliveries.pop();
    let d: Delivery<M>;
    if (spare === undefined) d = new Delivery(at, this, flow, msg);
    else {
      d = spare;
      d.time = at;
      d.flow = flow;
      d.first = msg;
    }
    flow.batch = this.clock.schedule(d);
  }

  /** Runs a Delivery event: its messages, in order; then keeps the event object for reuse. */
  deliverBatch(d: Delivery<M>): void {
    const flow = d.flow;
    if (flow.batch === d) flow.batch = null;
    this.deliver(flow, d.first);
    const more = d.more;
    if (more) for (let i = 0; i < more.length; i++) this.deliver(flow, more[i]!);
    // Fired (the queue dropped it) and no flow's batch: nothing refers to it any more.
    d.more = null;
    d.first = undefined as unknown as M;
    if (this.spareDeliveries.length < 4096) this.spareDeliveries.push(d);
  }

  private deliver(flow: Channel<M>, msg: M): void {
    if (flow.closed) return;
    flow.bytesDelivered += this.sizeOf(msg);
    this.messagesDelivered++;
    const receivers = flow.receivers;
    for (let i = 0; i < receivers.length; i++) receivers[i]!(msg);
  }

  closeConnection(conn: Connection<M>): void {
    if (conn.closed) return;
    conn.closed = true;
    conn.ab.closed = true;
    conn.ba.closed = true;
    conn.ab.discard();
    conn.ba.discard();
    conn.a.connections.delete(conn.handle);
    conn.b.connections.delete(conn.handle);
    // Both ends hear about it, each in its own event (never re-entrantly inside close()).
    const latency = conn.a.spec.latencyMs + conn.b.spec.latencyMs;
    const fire = (flow: Channel<M>) => () => flow.closeListeners.emit();
    this.clock.at(this.clock.now(), fire(conn.ab));
    this.clock.at(this.clock.now() + latency, fire(conn.ba));
  }

  /** The host leaves: every connection of it closes. */
  removeHost(host: Host): void {
    host.alive = false;
    for (const conn of [...host.connections]) conn.close();
  }
}

/** A network of byte messages: each channel end is an engine `Transport`. */
export function byteNetwork(clock: VirtualClock): Network<Uint8Array> {
  return new Network<Uint8Array>(clock, (m) => m.byteLength);
}

/** Compile-time check that a byte channel is a Transport. */
export type ByteTransport = Channel<Uint8Array> & Transport;
const _check: (c: Channel<Uint8Array>) => Transport = (c) => c;
void _check;
