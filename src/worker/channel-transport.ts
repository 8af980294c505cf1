/**
 * The engine's Transport over an RTCDataChannel that was transferred into this worker.
 * Binary only (arraybuffer); `bufferedamountlow` becomes onDrain.
 */
import { TransportEvents, type Transport } from '../engine/index';
import { Inbox } from './inbox';

/** The engine may queue up to its own high-water mark; the channel wakes it at this low-water mark. */
export const LOW_WATER_BYTES = 1 << 20;
/**
 * Most bytes held for a neighbor before the engine listens (it is admitted only after peer-auth on
 * the page; an honest peer sends just its handshake and bitfield before it hears from us).
 */
export const MAX_HELD_BYTES = 1 << 20;

export class ChannelTransport extends TransportEvents implements Transport {
  /** Held until the engine listens (the channel may open before the share's session exists). */
  protected readonly messages = new Inbox(MAX_HELD_BYTES, () => {
    this.overflowed = true;
    this.close();
  });
  /** Closed because the neighbor sent more than MAX_HELD_BYTES before the engine listened. */
  overflowed = false;
  private closed = false;
  /** Messages sent before the channel opened (it is transferred before it is open). */
  private early: Uint8Array[] = [];

  constructor(private readonly channel: RTCDataChannel) {
    super();
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
    channel.addEventListener('message', (e: MessageEvent) => {
      if (e.data instanceof ArrayBuffer) this.messages.deliver(new Uint8Array(e.data));
      // Text frames are not part of the chunk protocol: ignored.
    });
    channel.addEventListener('bufferedamountlow', () => this.drains.emit());
    channel.addEventListener('open', () => {
      const queued = this.early;
      this.early = [];
      for (const m of queued) this.rawSend(m);
      this.drains.emit();
    });
    channel.addEventListener('close', () => this.finish());
    channel.addEventListener('error', () => this.finish());
  }

  get bufferedAmount(): number {
    return this.channel.bufferedAmount + this.early.reduce((n, m) => n + m.byteLength, 0);
  }

  send(message: Uint8Array): void {
    if (this.closed) return;
    if (this.channel.readyState === 'connecting') {
      this.early.push(message);
      return;
    }
    this.rawSend(message);
  }

  private rawSend(message: Uint8Array): void {
    try {
      // A view on part of a larger buffer is sent as exactly its bytes.
      this.channel.send(message as Uint8Array<ArrayBuffer>);
    } catch {
      this.finish(); // send on a closing channel, or the 16 MiB queue overflowed
    }
  }

  close(): void {
    try {
      this.channel.close();
    } catch {
      /* already closed */
    }
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.early = [];
    this.closes.emit();
    this.messages.clear();
    this.drains.clear();
    this.closes.clear();
  }
}
