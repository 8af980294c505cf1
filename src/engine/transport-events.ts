/**
 * The listener side of a Transport, written once: `onMessage`, `onDrain` and `onClose` over typed
 * fan-outs (src/protocol/listeners.ts). A transport extends it, emits on `drains` and `closes`,
 * and writes only how it sends and closes.
 */
import { Listeners } from './listeners';

/** Where incoming messages fan out: plain Listeners, or an inbox that holds them for the first listener. */
export interface MessageFanOut<M> {
  add(listener: (message: M) => void): () => void;
}

export abstract class TransportEvents<M = Uint8Array> {
  protected abstract readonly messages: MessageFanOut<M>;
  protected readonly drains = new Listeners<void>();
  protected readonly closes = new Listeners<void>();

  /** Each returns its unsubscribe function. */
  onMessage(listener: (message: M) => void): () => void {
    return this.messages.add(listener);
  }
  onDrain(listener: () => void): () => void {
    return this.drains.add(listener);
  }
  onClose(listener: () => void): () => void {
    return this.closes.add(listener);
  }
}
