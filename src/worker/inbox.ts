/**
 * A neighbor's incoming messages, held until the engine listens. The page announces a link's swarm
 * before the worker has opened that share, so a channel can open, and its peer send a handshake,
 * before the share's session exists; a message event with no listener is lost for good.
 * What is held is bounded: a neighbor not yet admitted (peer-auth) or a session slow to start
 * cannot make the worker hold more than `maxHeldBytes`; past it `onOverflow` runs once.
 */
import { Listeners } from '../protocol/listeners';

export class Inbox {
  private readonly listeners = new Listeners<Uint8Array>();
  /** Messages waiting for the first listener; undefined once they were handed over. */
  private held: Uint8Array[] | undefined = [];
  private flushing = false;
  private heldBytes = 0;

  constructor(
    private readonly maxHeldBytes = Infinity,
    private readonly onOverflow: () => void = () => undefined,
  ) {}

  deliver(message: Uint8Array): void {
    if (this.held) {
      this.heldBytes += message.byteLength;
      if (this.heldBytes > this.maxHeldBytes) {
        this.clear();
        this.onOverflow();
        return;
      }
      this.held.push(message);
    } else this.listeners.emit(message);
  }

  /** Held messages follow in order right after the caller's task part (the engine finishes adding the neighbor first). */
  add(listener: (message: Uint8Array) => void): () => void {
    const off = this.listeners.add(listener);
    if (this.held && !this.flushing) {
      this.flushing = true;
      queueMicrotask(() => {
        const held = this.held ?? [];
        this.held = undefined;
        for (const m of held) this.listeners.emit(m);
      });
    }
    return off;
  }

  clear(): void {
    this.held = undefined;
    this.listeners.clear();
  }
}
