/**
 * Deterministic in-memory links for tests: what one side sends is HELD until the test calls
 * `flush()`, so a test decides exactly when (and whether) each message arrives.
 * `createTransportPair` carries bytes (the real path: codec + validation);
 * `createLinkPair` carries decoded messages (the simulator's path).
 */
import { Listeners } from '../listeners';
import { TransportEvents } from '../transport-events';
import type { Transport } from '../types';
import type { MessageLink } from '../link';
import type { WireMessage } from '../../protocol/wire-messages';
import { wireSize } from '../../protocol/wire-size';

export interface HeldEndOptions<T> {
  /** Return true to lose this message in flight (fuzz tests). */
  drop?: (message: T) => boolean;
  /** Size used for bufferedAmount. */
  sizeOf: (message: T) => number;
}

/** One end of a held pair. `flush()` delivers what this end sent to the other end. */
export class HeldEnd<T> extends TransportEvents<T> {
  other!: HeldEnd<T>;
  private outbox: T[] = [];
  private queued = 0;
  private closed = false;
  private closeDelivered = false;
  protected readonly messages = new Listeners<T>();
  private readonly errors = new Listeners<Error>();
  sentCount = 0;
  deliveredCount = 0;

  constructor(private readonly options: HeldEndOptions<T>) {
    super();
  }

  get bufferedAmount(): number {
    return this.queued;
  }
  get isClosed(): boolean {
    return this.closed;
  }
  /** Messages held, not yet delivered. */
  get pending(): number {
    return this.outbox.length + (this.closed && !this.closeDelivered ? 1 : 0);
  }

  send(message: T): void {
    if (this.closed) return; // like a closed data channel: silently dropped
    this.sentCount++;
    this.outbox.push(message);
    this.queued += this.options.sizeOf(message);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.other.closed = true;
  }

  /** Delivers every message held at this moment (in order), then close/drain notifications. Returns how many. */
  flush(): number {
    const batch = this.outbox;
    this.outbox = [];
    let delivered = 0;
    for (const m of batch) {
      this.queued -= this.options.sizeOf(m);
      if (this.other.closeDelivered || this.closeDelivered) continue;
      if (this.options.drop?.(m)) continue;
      delivered++;
      this.deliveredCount++;
      this.other.messages.emit(m);
    }
    if (batch.length > 0 && !this.closed) this.drains.emit();
    if (this.closed && !this.closeDelivered) {
      this.closeDelivered = true;
      this.closes.emit();
      if (!this.other.closeDelivered) {
        this.other.closeDelivered = true;
        this.other.closes.emit();
      }
      delivered++;
    }
    return delivered;
  }

  /** Makes the other end see `error` (as a link decode error). */
  injectError(error: Error): void {
    this.other.errors.emit(error);
  }
  /** Delivers `message` to the other end right now, bypassing the queue (hostile input in tests). */
  injectToOther(message: T): void {
    this.other.messages.emit(message);
  }

  onError(listener: (e: Error) => void): () => void {
    return this.errors.add(listener);
  }
}

export type HeldTransport = HeldEnd<Uint8Array> & Transport;
export type HeldLink = HeldEnd<WireMessage> & MessageLink;

function pair<T>(a: HeldEnd<T>, b: HeldEnd<T>): [HeldEnd<T>, HeldEnd<T>] {
  a.other = b;
  b.other = a;
  return [a, b];
}

/** Two byte transports joined back to back. */
export function createTransportPair(drop?: (m: Uint8Array) => boolean): [HeldTransport, HeldTransport] {
  const sizeOf = (m: Uint8Array) => m.length;
  return pair(new HeldEnd<Uint8Array>({ sizeOf, drop }), new HeldEnd<Uint8Array>({ sizeOf, drop }));
}

class HeldLinkEnd extends HeldEnd<WireMessage> {
  readonly maxBlockBytes = Number.MAX_SAFE_INTEGER;
}

/** Two message links joined back to back (no encoding: payloads pass by reference). */
export function createLinkPair(drop?: (m: WireMessage) => boolean): [HeldLink, HeldLink] {
  return pair<WireMessage>(
    new HeldLinkEnd({ sizeOf: wireSize, drop }),
    new HeldLinkEnd({ sizeOf: wireSize, drop }),
  ) as [HeldLink, HeldLink];
}
