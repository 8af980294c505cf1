/**
 * The one typed fan-out of the code base: an event's subscribers; each `add` returns its
 * unsubscribe. Lives in protocol, the room every other one may import (engine, worker, app,
 * tracker).
 */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  /**
   * With `onError`, a listener that throws is reported there and the others are still called (for
   * listeners other modules add); without, the error propagates to the emitter.
   */
  constructor(private readonly onError?: (error: unknown) => void) {}

  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => void this.set.delete(listener);
  }

  /** Calls every subscriber; one may unsubscribe itself (or others) while being called. */
  emit(value: T): void {
    for (const listener of [...this.set]) {
      if (!this.onError) listener(value);
      else
        try {
          listener(value);
        } catch (err) {
          this.onError(err);
        }
    }
  }

  get size(): number {
    return this.set.size;
  }

  clear(): void {
    this.set.clear();
  }
}
