/**
 * A short cache of which instance owns a classroom room (signaling/classroom-cluster.ts), so a
 * peer's classroom messages on a non-owner instance do not each cost a Redis script call.
 *
 * Correctness first: an entry is only used while it could not tell anything Redis itself would
 * not. It lapses after `ttlMs`, and earlier when the owner's last known heartbeat no longer makes
 * it live (`liveForMs`, Redis's own judgement, read at our heartbeat): a dead owner is never
 * served from here once Redis would stop naming it. A room closed on its owner and opened
 * elsewhere within the ttl costs one hop more, never a message: the old owner looks the room up in
 * Redis and passes the message on. Only owners that are other instances are cached ("nobody owns
 * it" is not: a room opened a moment ago elsewhere must be found at once).
 */
export class OwnerCache {
  private readonly entries = new Map<string, { owner: string; until: number }>();

  constructor(
    private readonly ttlMs: number,
    /** How much longer Redis will judge `tag` live, by the last heartbeat we read (<= 0: not live). */
    private readonly liveForMs: (tag: string) => number,
    private readonly now: () => number,
    private readonly maxEntries = 4096,
  ) {}

  /** The cached owner of `name`, if its entry is fresh and the owner still live. */
  get(name: string): string | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    if (this.now() >= entry.until || this.liveForMs(entry.owner) <= 0) {
      this.entries.delete(name);
      return undefined;
    }
    return entry.owner;
  }

  set(name: string, owner: string): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(name)) {
      const now = this.now();
      for (const [key, entry] of this.entries) if (now >= entry.until) this.entries.delete(key);
      if (this.entries.size >= this.maxEntries) return; // bounded: past this, lookups go to Redis
    }
    this.entries.set(name, { owner, until: this.now() + this.ttlMs });
  }

  delete(name: string): void {
    this.entries.delete(name);
  }

  /** The instance `tag` is gone: none of its rooms is served from here. */
  dropOwner(tag: string): void {
    for (const [name, entry] of this.entries) if (entry.owner === tag) this.entries.delete(name);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
