/**
 * The engine's Transport for a neighbor whose bytes the page relays (browsers that can't transfer
 * an RTCDataChannel to a worker). Outgoing messages are copied into their own ArrayBuffer and
 * transferred to the page; the page writes them to simple-peer while that channel's queue is
 * short and reports each write (`written`), so `bufferedAmount` counts what is still waiting in the
 * page and backpressure reaches the engine.
 */
import { TransportEvents, type Transport } from '../engine/index';
import { LOW_WATER_BYTES } from './channel-transport';
import { Inbox } from './inbox';

export class RelayTransport extends TransportEvents implements Transport {
  /** Held until the engine listens (bytes may arrive before the share's session exists). */
  protected readonly messages = new Inbox();
  private closed = false;
  private inFlight = 0;

  constructor(private readonly post: (data: ArrayBuffer) => void) {
    super();
  }

  get bufferedAmount(): number {
    return this.inFlight;
  }

  send(message: Uint8Array): void {
    if (this.closed) return;
    const copy = message.slice().buffer;
    this.inFlight += copy.byteLength;
    this.post(copy);
  }

  /** The page wrote `bytes` of what we posted into the peer's channel. */
  written(bytes: number): void {
    const before = this.inFlight;
    this.inFlight = Math.max(0, this.inFlight - bytes);
    if (before > LOW_WATER_BYTES && this.inFlight <= LOW_WATER_BYTES) this.drains.emit();
  }

  /** Bytes the page received from this neighbor. */
  deliver(data: ArrayBuffer): void {
    if (!this.closed) this.messages.deliver(new Uint8Array(data));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closes.emit();
    this.messages.clear();
  }
}
