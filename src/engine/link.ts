/**
 * The engine talks to a neighbor through a MessageLink: decoded wire messages, not bytes.
 *
 * - Real byte transports (a data channel) are wrapped by `linkFromTransport`, which applies the
 *   codec and its validation: every malformed frame becomes an `onError` for that link only.
 * - The simulator can implement MessageLink directly and hand messages across without encoding
 *   (a 256 KiB piece is passed by reference). Messages the engine receives on a message link are
 *   still checked for meaning (ranges, state), just not re-parsed.
 */
import type { Transport } from './types';
import type { WireMessage } from '../protocol/wire-messages';
import { MAX_WIRE_BLOCK_BYTES } from '../protocol/wire-messages';
import { decodeWireMessage, encodeWireMessage } from '../protocol/wire';
import { Listeners } from './listeners';

export interface MessageLink {
  /** Sends one message. Its `data` (piece, bitfield) may be shared by reference: receivers must not mutate it. */
  send(message: WireMessage): void;
  /** Bytes queued and not yet sent (the engine keeps this under its high-water mark). */
  readonly bufferedAmount: number;
  /** Largest block this link carries (request length / piece payload). */
  readonly maxBlockBytes: number;
  /** Each returns an unsubscribe function. */
  onMessage(listener: (message: WireMessage) => void): () => void;
  /** Undecodable input arrived; the engine closes the link. */
  onError(listener: (error: Error) => void): () => void;
  onDrain(listener: () => void): () => void;
  /** Optional: `listener` once, when `bufferedAmount` next falls to `bytes` or below (see Transport.onceBelow). */
  onceBelow?(bytes: number, listener: () => void): void;
  onClose(listener: () => void): () => void;
  close(): void;
}

/** Wraps a byte transport (data channel) in the wire codec. */
export function linkFromTransport(transport: Transport): MessageLink {
  const errorListeners = new Listeners<Error>();
  const onceBelow = transport.onceBelow?.bind(transport);
  return {
    ...(onceBelow ? { onceBelow } : {}),
    send(message) {
      transport.send(encodeWireMessage(message));
    },
    get bufferedAmount() {
      return transport.bufferedAmount;
    },
    maxBlockBytes: MAX_WIRE_BLOCK_BYTES,
    onMessage(listener) {
      return transport.onMessage((bytes) => {
        const result = decodeWireMessage(bytes);
        if (result.ok) listener(result.message);
        else errorListeners.emit(result.error);
      });
    },
    onError: (listener) => errorListeners.add(listener),
    onDrain: (l) => transport.onDrain(l),
    onClose: (l) => transport.onClose(l),
    close: () => transport.close(),
  };
}
