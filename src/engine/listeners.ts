/** Fan-out of one event to its subscribers; each subscribe returns its unsubscribe. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();
  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  /** Calls every subscriber; one may unsubscribe itself (or others) while being called. */
  emit(value: T): void {
    for (const listener of [...this.set]) listener(value);
  }
  clear(): void {
    this.set.clear();
  }
}
