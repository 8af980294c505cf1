/**
 * The engine's Transport for a neighbor whose bytes the page relays (browsers that can't transfer
 * an RTCDataChannel to a worker). Outgoing messages are copied into their own ArrayBuffer and
 * transferred to the page; the page writes them to simple-peer. The page reports how much it has
 * queued, so backpressure still works.
 */
import type { Transport } from '../engine/types';
import { Listeners } from './channel-transport';

export class RelayTransport implements Transport {
  private readonly messages = new Listeners<Uint8Array>();
  private readonly drains = new Listeners<void>();
  private readonly closes = new Listeners<void>();
  private closed = false;
  private inFlight = 0;

  constructor(private readonly post: (data: ArrayBuffer) => void) {}

  get bufferedAmount(): number {
    return this.inFlight;
  }

  send(message: Uint8Array): void {
    if (this.closed) return;
    const copy = message.slice().buffer as ArrayBuffer;
    this.inFlight += copy.byteLength;
    this.post(copy);
    // The page hands it to simple-peer at once; its own buffering is bounded by the engine's
    // high-water mark via this counter, released on the next turn of the event loop.
    setTimeout(() => {
      this.inFlight -= copy.byteLength;
      if (this.inFlight === 0) this.drains.emit();
    }, 0);
  }

  /** Bytes the page received from this neighbor. */
  deliver(data: ArrayBuffer): void {
    if (!this.closed) this.messages.emit(new Uint8Array(data));
  }

  onMessage(listener: (message: Uint8Array) => void): () => void {
    return this.messages.add(listener);
  }
  onDrain(listener: () => void): () => void {
    return this.drains.add(listener);
  }
  onClose(listener: () => void): () => void {
    return this.closes.add(listener);
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closes.emit();
  }
}
