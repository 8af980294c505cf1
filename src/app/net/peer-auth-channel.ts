/**
 * simple-peer's own data channel as the peer-auth exchange sees it (peer-auth.ts). The exchange
 * starts once simple-peer says the connection is up, but the peer's hello can come a moment
 * earlier: its messages are held from the connection's creation until the exchange listens, and
 * a peer that sends more than an exchange ever needs before then is flooding.
 */
import type { AuthChannel } from './peer-auth';

/** More held messages than a hello and a proof: the peer is not running the exchange. */
const MAX_HELD_MESSAGES = 2;

export class PeerAuthChannel implements AuthChannel {
  private held: unknown[] = [];
  private listener: ((data: unknown) => void) | undefined;
  private closer: (() => void) | undefined;
  private flooded = false;

  constructor(private readonly sendData: (data: Uint8Array) => void) {}

  /** A message from the peer (simple-peer's `data`). */
  deliver(data: unknown): void {
    if (this.listener) return this.listener(data);
    if (this.held.length < MAX_HELD_MESSAGES) this.held.push(data);
    else this.flooded = true;
  }

  /** The connection closed. */
  closed(): void {
    this.closer?.();
  }

  send(data: Uint8Array): void {
    this.sendData(data);
  }

  onMessage(listener: (data: unknown) => void): () => void {
    this.listener = listener;
    const held = this.held;
    this.held = [];
    for (const data of held) listener(data);
    // Stands for the messages that were not held: the exchange refuses it as out of turn.
    if (this.flooded) listener('flood');
    return () => {
      if (this.listener === listener) this.listener = undefined;
    };
  }

  onClose(listener: () => void): () => void {
    this.closer = listener;
    return () => {
      if (this.closer === listener) this.closer = undefined;
    };
  }
}
