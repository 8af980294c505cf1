/**
 * A deterministic swarm for tests: engines on a VirtualClock, joined by held in-memory links that
 * deliver only when the swarm flushes them. Byte links (the real codec path) by default; message
 * links with `messageLinks: true`. Same seed, same run.
 */
import type { ShareMetadata } from '../../protocol/metadata';
import type { EngineConfig } from '../config';
import { SwarmEngine } from '../engine';
import type { EngineEvent } from '../events';
import { MemoryChunkStore } from '../memory-store';
import { createSeededRandom, type Random } from '../random';
import { createShare, type CreatedShare } from '../share';
import type { ChunkStore, Hasher, MetadataSeal } from '../types';
import { createLinkPair, createTransportPair, type HeldEnd } from './held-pair';
import { corruptingStore } from '../corrupting-store';
import { jsHasher } from './hasher';
import { VirtualClock } from '../../protocol/virtual-clock';

const hostSetTimeout = (globalThis as unknown as { setTimeout: (fn: () => void, ms: number) => unknown }).setTimeout;
/** Lets every pending promise (hashing, store I/O) run. */
export const yieldToHost = (): Promise<void> => new Promise((resolve) => hostSetTimeout(resolve, 0));

/** The content generator of the tests and the simulator (seeded, deterministic). */
export { pseudoRandomBytes } from '../random';

/** A share of one in-memory file. */
export async function makeShare(
  content: Uint8Array,
  chunkSize?: number,
  hasher: Hasher = jsHasher,
): Promise<CreatedShare> {
  return createShare(
    [
      {
        name: 'file.bin',
        size: content.length,
        type: 'application/octet-stream',
        read: async (o, l) => content.slice(o, o + l),
      },
    ],
    hasher,
    { chunkSize },
  );
}

/** Fills a store with every chunk of `content` (the sharer's store). */
export async function fillStore(store: ChunkStore, content: Uint8Array, meta: ShareMetadata): Promise<void> {
  for (let i = 0; i < meta.chunkCount; i++)
    await store.put(i, content.slice(i * meta.chunkSize, (i + 1) * meta.chunkSize));
}

export interface TestSwarmOptions {
  seed?: number;
  /** Pass decoded messages instead of bytes (the simulator's path). */
  messageLinks?: boolean;
  /** Lose a message in flight (called with the swarm's random). */
  drop?: (random: Random) => boolean;
  hasher?: Hasher;
}

interface Link {
  a: string;
  b: string;
  ends: [HeldEnd<unknown>, HeldEnd<unknown>];
}

export class TestSwarm {
  readonly clock = new VirtualClock();
  readonly random: Random;
  readonly engines = new Map<string, SwarmEngine>();
  readonly stores = new Map<string, MemoryChunkStore>();
  readonly events = new Map<string, EngineEvent[]>();
  links: Link[] = [];
  readonly hasher: Hasher;

  constructor(private readonly options: TestSwarmOptions = {}) {
    this.random = createSeededRandom(options.seed ?? 1);
    this.hasher = options.hasher ?? jsHasher;
  }

  async addPeer(
    id: string,
    share: CreatedShare,
    opts: {
      seeder?: boolean;
      content?: Uint8Array;
      withMetadata?: boolean;
      /** Uploads only corrupt blocks (its store reads come back flipped). */
      tamper?: boolean;
      config?: Partial<EngineConfig>;
      /** A private share: the engine's id is the swarm id and metadata travels sealed. */
      sealed?: { swarmId: Uint8Array; seal: MetadataSeal };
    } = {},
  ): Promise<SwarmEngine> {
    const store = new MemoryChunkStore();
    if (opts.seeder && opts.content) await fillStore(store, opts.content, share.metadata);
    const withMetadata = opts.withMetadata ?? !!opts.seeder;
    const engine = await SwarmEngine.create({
      infoHash: opts.sealed?.swarmId ?? share.infoHash,
      metadataSeal: opts.sealed?.seal,
      metadata: withMetadata ? share.metadata : undefined,
      encodedMetadata: withMetadata ? share.encodedMetadata : undefined,
      store: opts.tamper ? corruptingStore(store) : store,
      clock: this.clock,
      hasher: this.hasher,
      random: createSeededRandom(Math.floor(this.random() * 2 ** 31)),
      localPeerId: id,
      config: { role: opts.seeder ? 'seeder' : 'leecher', isOrigin: !!opts.seeder, ...opts.config },
    });
    const log: EngineEvent[] = [];
    engine.on((e) => log.push(e));
    this.engines.set(id, engine);
    this.stores.set(id, store);
    this.events.set(id, log);
    return engine;
  }

  connect(a: string, b: string): void {
    const ea = this.engines.get(a)!;
    const eb = this.engines.get(b)!;
    const drop = this.options.drop ? () => this.options.drop!(this.random) : undefined;
    if (this.options.messageLinks) {
      const [la, lb] = createLinkPair(drop);
      ea.addPeerLink(b, la);
      eb.addPeerLink(a, lb);
      this.links.push({ a, b, ends: [la, lb] as [HeldEnd<unknown>, HeldEnd<unknown>] });
    } else {
      const [ta, tb] = createTransportPair(drop);
      ea.addPeer(b, ta);
      eb.addPeer(a, tb);
      this.links.push({ a, b, ends: [ta, tb] as [HeldEnd<unknown>, HeldEnd<unknown>] });
    }
  }

  connectAll(ids: string[]): void {
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) this.connect(ids[i]!, ids[j]!);
  }

  /** Closes the link between a and b (both sides see close on the next flush). */
  disconnect(a: string, b: string): void {
    for (const l of this.links) if ((l.a === a && l.b === b) || (l.a === b && l.b === a)) l.ends[0].close();
  }

  /** The peer leaves: its engine is destroyed (its links close). */
  leave(id: string): void {
    this.engines.get(id)?.destroy();
    this.engines.delete(id);
  }

  /** Delivers held messages and runs pending promises until nothing moves. Returns messages delivered. */
  async flush(maxRounds = 10_000): Promise<number> {
    let total = 0;
    for (let round = 0; round < maxRounds; round++) {
      let moved = 0;
      for (const l of this.links) moved += l.ends[0].flush() + l.ends[1].flush();
      this.links = this.links.filter(
        (l) => l.ends[0].pending + l.ends[1].pending > 0 || !(l.ends[0].isClosed && l.ends[1].isClosed),
      );
      await yieldToHost();
      total += moved;
      if (moved === 0 && this.links.every((l) => l.ends[0].pending + l.ends[1].pending === 0)) break;
    }
    return total;
  }

  /** Flushes, advances virtual time by stepMs, repeats until `done()` or maxMs of virtual time. */
  async runUntil(done: () => boolean, { stepMs = 500, maxMs = 600_000 } = {}): Promise<boolean> {
    const end = this.clock.now() + maxMs;
    for (;;) {
      await this.flush();
      if (done()) return true;
      if (this.clock.now() >= end) return false;
      this.clock.advance(stepMs);
    }
  }

  allComplete(ids: string[]): boolean {
    return ids.every((id) => this.engines.get(id)?.isComplete());
  }

  /** The bytes a peer's store holds, concatenated (for comparing with the original). */
  async contentOf(id: string, meta: ShareMetadata): Promise<Uint8Array> {
    const store = this.stores.get(id)!;
    const out = new Uint8Array(meta.totalSize);
    for (let i = 0; i < meta.chunkCount; i++) {
      const chunk = await store.get(i);
      if (!chunk) throw new Error(`${id} lacks chunk ${i}`);
      out.set(chunk, i * meta.chunkSize);
    }
    return out;
  }

  destroy(): void {
    for (const e of this.engines.values()) e.destroy();
  }
}

/** Index of the first differing byte, -1 when equal (vitest's deep equality is slow on megabytes). */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
