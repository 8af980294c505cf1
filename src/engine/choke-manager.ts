/**
 * Applies the choking policy (choker.ts) to the live neighbors: periodic tit-for-tat rechokes,
 * optimistic rotation, immediate unchoke when a slot is free, and client-server mode (the origin
 * serves every interested neighbor, everyone else uploads to nobody).
 */
import { CHOKE, UNCHOKE } from '../protocol/wire-messages';
import { planSlots, type SlotFacts, type SlotPlan } from './slot-plan';
import type { EngineCore, NeighborHooks } from './core';
import { type Neighbor } from './neighbor';

/** Our side of one neighbor's choking. */
interface ChokeState {
  /** We choke it (BEP 3's am_choking). */
  choking: boolean;
  /** It said `interested` (BEP 3's peer_interested). */
  interested: boolean;
  /** It holds our optimistic slot. */
  optimistic: boolean;
}

/** This module's slot on each neighbor: the key is not exported, so no other module reaches the state. */
const CHOKE_STATE = Symbol('ChokeState');
type Slotted = Neighbor & { [CHOKE_STATE]: ChokeState };

export class ChokeManager implements NeighborHooks {
  optimistic: string | undefined;
  private rechokes = 0;
  /**
   * Neighbors unchoked only to get them started: they hold fewer than `starterChunks` chunks. Tit-for-tat
   * never picks a peer with nothing to trade, and the optimistic slot rotates every 30 s, so without
   * these a swarm's first chunks circulate among the few peers that got one first while the rest
   * wait; a starter slot passes to the next newcomer as soon as this one has a chunk to trade.
   */
  private readonly starters = new Set<Neighbor>();

  constructor(private readonly core: EngineCore) {}

  onNeighborAdded(n: Neighbor): void {
    (n as Slotted)[CHOKE_STATE] = { choking: true, interested: false, optimistic: false };
  }

  private of(n: Neighbor): ChokeState {
    return (n as Slotted)[CHOKE_STATE];
  }

  /** We choke `n`: its requests are dropped, nothing is uploaded to it. */
  isChoking(n: Neighbor): boolean {
    return this.of(n).choking;
  }

  /** `n` said it is interested in our chunks. */
  isInterested(n: Neighbor): boolean {
    return this.of(n).interested;
  }

  isOptimistic(n: Neighbor): boolean {
    return this.of(n).optimistic;
  }

  /** A free rider (config.freeRide, never the origin) unchokes nobody. */
  private get freeRiding(): boolean {
    return this.core.config.freeRide && !this.core.config.isOrigin;
  }

  /** The periodic rechoke (every rechokeIntervalMs); rotates the optimistic slot every optimisticIntervalMs. */
  periodic(): void {
    const { rechokeIntervalMs, optimisticIntervalMs } = this.core.config;
    const every = Math.max(1, Math.round(optimisticIntervalMs / rechokeIntervalMs));
    this.rechokes++;
    this.rechoke(this.rechokes % every === 0);
  }

  /**
   * Decides who is unchoked: gathers the neighbors' facts, plans the slots (slot-plan.ts) and
   * applies the plan. `byEvent` (a neighbor lost interest or left, a starter got its first
   * chunk): nobody who still wants from us is choked, only the freed slots are filled; the
   * periodic rechoke alone re-ranks.
   */
  rechoke(rotateOptimistic: boolean, byEvent = false, releasedStarters?: ReadonlySet<Neighbor>): void {
    const core = this.core;
    const peers = [...core.neighbors.values()].filter((n) => n.handshaked && !n.removed);
    // A free rider is planned like a client in client-server mode: it serves nobody.
    const clientServer = core.config.mode === 'cs' || this.freeRiding;
    const now = core.now();
    const seeding = core.complete;
    const plan = planSlots({
      neighbors: peers.map((n) => this.factsOf(n, clientServer, seeding, now, releasedStarters)),
      clientServer,
      isOrigin: core.config.isOrigin,
      slots: this.slots(),
      laggardSlots: seeding ? 0 : core.config.laggardSlots,
      currentOptimistic: this.optimistic,
      rotateOptimistic,
      byEvent: byEvent && !clientServer,
      random: core.random,
    });
    this.apply(peers, plan);
    if (!clientServer) this.topUpStarters();
  }

  /** One neighbor's facts for the plan (client-server mode needs only its interest). */
  private factsOf(
    n: Neighbor,
    clientServer: boolean,
    seeding: boolean,
    now: number,
    releasedStarters: ReadonlySet<Neighbor> | undefined,
  ): SlotFacts {
    const choke = this.of(n);
    const download = this.core.download;
    // A seeder ranks by what a neighbor lacks (like libtorrent's anti-leech seeding choker: the
    // laggards catch up and the swarm finishes together), a leecher by its rate to us.
    const missing = clientServer ? 0 : this.missingChunks(n);
    return {
      id: n.peerId,
      unchoked: !choke.choking,
      interested: choke.interested,
      wantsFromUs: clientServer ? choke.interested : this.wantsFromUs(n),
      rate: clientServer ? 0 : seeding ? missing : download.rateFrom(n, now),
      snubbed: download.isSnubbed(n),
      // A leecher's laggard slot and most-missing optimistic unchoke go only to givers (gives()).
      missing: seeding || this.gives(n) ? missing : 0,
      // A defector (reciprocity.ts) gets only the optimistic slot.
      optimisticOnly: !clientServer && this.core.reciprocity.defected(n),
      starter: this.starters.has(n),
      releasedStarter: releasedStarters?.has(n) ?? false,
    };
  }

  /** The one step that acts: sends the planned chokes and unchokes, marks the optimistic neighbor. */
  private apply(peers: Neighbor[], plan: SlotPlan): void {
    this.optimistic = plan.optimistic;
    for (const { id, choke } of plan.changes) {
      const n = this.core.neighbors.get(id);
      if (n) this.setChoked(n, choke); // gone only if a send failed during this apply
    }
    for (const n of peers) this.of(n).optimistic = n.peerId === this.optimistic && !this.of(n).choking;
  }

  private isStarterCandidate(n: Neighbor): boolean {
    return (
      n.handshaked &&
      !n.removed &&
      this.of(n).interested &&
      !this.core.download.isSnubbed(n) &&
      (n.have?.count ?? 0) < this.core.config.starterChunks
    );
  }

  /** Releases starters that have something to trade now and gives their slots to waiting newcomers. */
  topUpStarters(): void {
    const core = this.core;
    if (core.config.mode === 'cs' || this.freeRiding || core.destroyed || !core.ledger) return;
    const released = new Set<Neighbor>();
    for (const n of this.starters) {
      if (this.isStarterCandidate(n)) continue;
      this.starters.delete(n);
      released.add(n);
    }
    // A released starter keeps its unchoke only if tit-for-tat (or the optimistic draw) picks it.
    if (released.size > 0) return this.rechoke(false, true, released);
    if (this.starters.size >= core.config.starterSlots) return;
    const waiting = [...core.neighbors.values()].filter((n) => this.of(n).choking && this.isStarterCandidate(n));
    while (this.starters.size < core.config.starterSlots && waiting.length > 0) {
      const n = waiting.splice(Math.floor(core.random() * waiting.length), 1)[0]!;
      this.starters.add(n);
      this.setChoked(n, false);
    }
  }

  /** A neighbor announced a chunk: a starter that can trade now gives its slot to the next newcomer. */
  onNeighborHave(n: Neighbor): void {
    if (this.starters.has(n)) this.topUpStarters();
  }

  /** Unchoked interested neighbors that are not starters or the optimistic one, fewer than uploadSlots. */
  private regularSlotsFree(): boolean {
    let regular = 0;
    for (const m of this.core.neighbors.values())
      if (!this.of(m).choking && !this.of(m).optimistic && this.of(m).interested && !this.starters.has(m)) regular++;
    return regular < this.slots();
  }

  /**
   * Regular slots. A super-seeding origin unchokes every interested neighbor: what each may ask
   * for is already limited to the distinct chunks shown to it, and the uplink queue serves them one
   * chunk after another, so every newcomer gets a first chunk to trade from the sharer's first
   * round instead of waiting for a rechoke or for another downloader.
   */
  private slots(): number {
    return this.core.superSeed.active ? Infinity : this.core.config.uploadSlots;
  }

  private missingChunks(n: Neighbor): number {
    return (this.core.ledger?.chunkCount ?? 0) - (n.have?.count ?? 0);
  }

  setChoked(n: Neighbor, choked: boolean): void {
    if (this.of(n).choking === choked || n.removed) return;
    this.of(n).choking = choked;
    if (!choked) this.core.reciprocity.onUnchoked(n);
    this.core.send(n, choked ? CHOKE : UNCHOKE);
    if (choked) this.core.upload.dropRequests(n);
  }

  onInterested(n: Neighbor): void {
    if (this.of(n).interested) return;
    this.of(n).interested = true;
    if (!this.of(n).choking) return;
    const { mode, isOrigin } = this.core.config;
    if (mode === 'cs' || this.freeRiding) {
      if (mode === 'cs' && isOrigin) this.setChoked(n, false);
      return;
    }
    // A free slot is filled right away instead of waiting up to rechokeIntervalMs.
    if (this.regularSlotsFree() && !this.core.reciprocity.defected(n)) this.setChoked(n, false);
    else if (this.optimistic === undefined) {
      this.optimistic = n.peerId;
      this.of(n).optimistic = true;
      this.setChoked(n, false);
    } else this.topUpStarters();
  }

  /**
   * Called every tick: when no unchoked neighbor has anything queued at us (our uplink is about to
   * idle) but a choked neighbor wants something, unchoke one more until the next rechoke. Without
   * this, neighbors that hold a slot but want nothing more from us would leave the uplink idle for
   * up to rechokeIntervalMs (costly while a swarm starts: libtorrent's rate-based choker likewise
   * opens slots while upload capacity is unused).
   */
  fillIdle(): void {
    const core = this.core;
    if (core.config.mode === 'cs' || this.freeRiding || !core.ledger) return;
    let unchoked = 0;
    const waiting: Neighbor[] = [];
    for (const n of core.neighbors.values()) {
      if (!n.handshaked || n.removed) continue;
      if (!this.of(n).choking) {
        // A defector held back by its share (reciprocity.ts) does not keep our uplink busy.
        if (core.upload.isBusyWith(n) && !core.reciprocity.isHeld(n)) return; // still busy
        unchoked++;
      } else if (this.of(n).interested && !this.core.download.isSnubbed(n) && !core.reciprocity.defected(n))
        waiting.push(n);
    }
    if (waiting.length === 0 || unchoked >= 2 * core.config.uploadSlots + 1) return;
    const givers = core.complete ? waiting : waiting.filter((n) => this.gives(n));
    this.setChoked(this.fewestChunks(givers.length > 0 ? givers : waiting), false);
  }

  /**
   * A leecher's help for laggards (the laggard slot, the most-missing optimistic unchoke, an idle
   * slot) goes only to neighbors that give: it unchoked us at least once. A free rider keeps us
   * choked while holding chunks we want, so it is left to tit-for-tat, which gives it nothing, and
   * to seeders.
   */
  private gives(n: Neighbor): boolean {
    return this.core.download.hasUnchokedUs(n);
  }

  /**
   * Who gets an idle slot: the neighbor holding the fewest chunks, random among equals. A chunk
   * given to a peer with nothing turns on an uplink that was idle; the same chunk given to a busy
   * trader adds no capacity.
   */
  private fewestChunks(waiting: Neighbor[]): Neighbor {
    const random = this.core.random;
    let best: Neighbor[] = [];
    let fewest = Infinity;
    for (const n of waiting) {
      const count = n.have?.count ?? 0;
      if (count < fewest) {
        fewest = count;
        best = [n];
      } else if (count === fewest) best.push(n);
    }
    return best[Math.floor(random() * best.length)]!;
  }

  onNotInterested(n: Neighbor): void {
    if (!this.of(n).interested) return;
    this.of(n).interested = false;
    if (!this.of(n).choking && !this.wantsFromUs(n)) this.rechoke(false, true); // its slot goes to someone who wants it
  }

  /**
   * Interested, or (super-seeding) lacking a chunk we have just shown it: its `not interested`
   * crossed our `have` and it will ask again at once. Choking it then would make it drop the
   * requests it sends before our choke arrives, while our unchoke (on its `interested`) serves
   * them: every such chunk was sent twice.
   */
  private wantsFromUs(n: Neighbor): boolean {
    return this.of(n).interested || this.core.superSeed.showsMissing(n);
  }

  onNeighborGone(n: Neighbor): void {
    if (this.optimistic === n.peerId) this.optimistic = undefined;
    this.starters.delete(n);
    if (!this.of(n).choking && !this.core.destroyed) {
      this.of(n).choking = true;
      this.rechoke(false, true);
    }
  }
}
