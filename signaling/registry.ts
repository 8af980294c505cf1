/**
 * Swarm membership behind a small interface. The in-memory implementation is the default; a
 * deployment that outgrows one process could put membership in a shared store (e.g. Redis sets
 * mirrored locally, since these calls are synchronous on the hot path) without touching the
 * protocol or connection code. See docs/TRACKER.md.
 */
import type { PeerId } from '../src/protocol/tracker.ts';

/** Who is in which swarm. Peers are opaque ids; connections live elsewhere. */
export interface SwarmRegistry {
  /** Adds `peer` to `swarm`; returns false if it already was a member. */
  join(swarm: string, peer: PeerId): boolean;
  /** Removes `peer` from `swarm` (an empty swarm disappears); returns false if it was not a member. */
  leave(swarm: string, peer: PeerId): boolean;
  has(swarm: string, peer: PeerId): boolean;
  /** Up to `count` distinct members of `swarm`, chosen uniformly at random, never `exclude`. */
  sample(swarm: string, count: number, exclude?: PeerId): PeerId[];
  /** Number of members of `swarm` (0 if unknown). */
  size(swarm: string): number;
  /** Number of non-empty swarms. */
  swarmCount(): number;
}

/** Members of one swarm: a dense array for O(k) random sampling plus an index for O(1) removal. */
class Members {
  readonly list: PeerId[] = [];
  readonly index = new Map<PeerId, number>();

  add(peer: PeerId): boolean {
    if (this.index.has(peer)) return false;
    this.index.set(peer, this.list.length);
    this.list.push(peer);
    return true;
  }

  remove(peer: PeerId): boolean {
    const at = this.index.get(peer);
    if (at === undefined) return false;
    const last = this.list.pop()!;
    if (last !== peer) {
      this.list[at] = last;
      this.index.set(last, at);
    }
    this.index.delete(peer);
    return true;
  }

  private swap(i: number, j: number): void {
    if (i === j) return;
    const a = this.list[i]!;
    const b = this.list[j]!;
    this.list[i] = b;
    this.list[j] = a;
    this.index.set(b, i);
    this.index.set(a, j);
  }

  /** Partial Fisher-Yates over the array itself (member order carries no meaning). */
  sample(count: number, exclude: PeerId | undefined, random: () => number): PeerId[] {
    let n = this.list.length;
    const ex = exclude === undefined ? undefined : this.index.get(exclude);
    if (ex !== undefined) this.swap(ex, --n); // park the asker beyond the sampled range
    const k = Math.min(count, n);
    const out: PeerId[] = new Array<PeerId>(k);
    for (let i = 0; i < k; i++) {
      this.swap(i, i + Math.floor(random() * (n - i)));
      out[i] = this.list[i]!;
    }
    return out;
  }
}

/** The default registry: everything in this process's memory. */
export class MemorySwarmRegistry implements SwarmRegistry {
  private readonly swarms = new Map<string, Members>();

  constructor(private readonly random: () => number = Math.random) {}

  join(swarm: string, peer: PeerId): boolean {
    let members = this.swarms.get(swarm);
    if (!members) this.swarms.set(swarm, (members = new Members()));
    return members.add(peer);
  }

  leave(swarm: string, peer: PeerId): boolean {
    const members = this.swarms.get(swarm);
    if (!members || !members.remove(peer)) return false;
    if (members.list.length === 0) this.swarms.delete(swarm);
    return true;
  }

  has(swarm: string, peer: PeerId): boolean {
    return this.swarms.get(swarm)?.index.has(peer) ?? false;
  }

  sample(swarm: string, count: number, exclude?: PeerId): PeerId[] {
    return this.swarms.get(swarm)?.sample(count, exclude, this.random) ?? [];
  }

  size(swarm: string): number {
    return this.swarms.get(swarm)?.list.length ?? 0;
  }

  swarmCount(): number {
    return this.swarms.size;
  }
}
