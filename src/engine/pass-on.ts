/**
 * Tit-for-tat at the sharer. A leecher judges a neighbor by what it gives back (reciprocity.ts),
 * but the sharer never downloads, so nobody can withhold anything from it, and a free rider got a
 * full share of its uplink: in a class of six with a sharer at a third of the upload capacity, the
 * free riders then finished about as fast as the students who uploaded.
 *
 * What the sharer can see is whether what it gave spread (after BEP 16's super-seeding check). It
 * is the file's only source, so a chunk it has given to exactly one neighbor exists anywhere else
 * only because that neighbor passed it on: another neighbor announcing it makes the holder a
 * passer for good. A neighbor that announced such a chunk and has passed none on for
 * 2 x `defectAfterMs` since (counted while some other neighbor still lacked chunks) hoards:
 * Reciprocity counts it a defector, so it gets the optimistic slot and the defectors' share of the
 * uplink, like a defector at a leecher. The clock keeps running when we later give that chunk to
 * someone else too: we had to, because the holder did not pass it on.
 *
 * Only wire behaviour counts, and only what the neighbor itself did: announcing a chunk can only
 * make its holder a passer, so a third peer cannot frame an honest one. A second full copy outside
 * the swarm can make a hoarder look like a passer: the rule then errs toward giving. Memory is
 * kept by peer id, so reconnecting does not wipe it.
 */
import type { EngineCore } from './core';
import type { Neighbor } from './neighbor';
import { rememberId, rememberValue } from './peer-memory';

/** `soleHolder` value of a chunk given to several neighbors (a symbol: no peer id can equal it). */
const SEVERAL = Symbol('several');
/**
 * The sharer waits this many defect windows (`defectAfterMs`): a chunk spreads only after a chunk
 * time at its holder's uplink, behind what that uplink already queued, and an honest peer uploading
 * at a quarter of the others' rate took longer than one window (N = 100, mixed rates, 64 MiB).
 */
const WINDOWS = 2;

export class PassOnWatch {
  /** Per chunk: the peer id of the only neighbor we gave it to, SEVERAL, or undefined (nobody yet). */
  private soleHolder: Array<string | typeof SEVERAL | undefined> = [];
  /** Peer ids that passed on a chunk only they had from us. */
  private readonly passers = new Set<string>();
  /** Peer ids that announced a chunk we had given to them alone, and have passed none on. */
  private readonly holding = new Set<string>();
  /** Peer id -> ms since it joined `holding`, counted while others lacked chunks. */
  private readonly heldMs = new Map<string, number>();
  private lastTickAt: number;

  constructor(private readonly core: EngineCore) {
    this.lastTickAt = core.now();
  }

  /** Only the sharer is the file's only source. */
  private get active(): boolean {
    const { config } = this.core;
    return config.isOrigin && config.mode === 'p2p' && this.core.ledger !== undefined;
  }

  /** The uploader sent `n` the last block of chunk `index`. */
  onChunkGiven(n: Neighbor, index: number): void {
    if (!this.active) return;
    this.sizeToLedger();
    const holder = this.soleHolder[index];
    if (holder === undefined) this.soleHolder[index] = n.peerId;
    else if (holder !== n.peerId) this.soleHolder[index] = SEVERAL;
  }

  /** `from` announced chunk `index`. */
  onNeighborHave(from: Neighbor, index: number): void {
    if (!this.active) return;
    this.sizeToLedger();
    const holder = this.soleHolder[index];
    if (holder === undefined || holder === SEVERAL) return;
    if (holder !== from.peerId) {
      rememberId(this.passers, holder);
      this.holding.delete(holder);
    } else if (!this.passers.has(holder)) rememberId(this.holding, holder);
  }

  /** Every tick: time since a neighbor began holding, counted only while another neighbor could still take a chunk. */
  tick(now: number): void {
    const dt = now - this.lastTickAt;
    this.lastTickAt = now;
    if (!this.active || this.holding.size === 0) return;
    const chunkCount = this.core.ledger!.chunkCount;
    for (const n of this.core.neighbors.values()) {
      if (n.removed || !this.holding.has(n.peerId)) continue;
      if (!this.someoneElseLacks(n, chunkCount)) continue;
      rememberValue(this.heldMs, n.peerId, (this.heldMs.get(n.peerId) ?? 0) + dt);
    }
  }

  /** It has held a chunk only it had from us for WINDOWS x defectAfterMs and never passed one on. */
  hoards(n: Neighbor): boolean {
    if (!this.core.config.isOrigin || this.passers.has(n.peerId)) return false;
    return (this.heldMs.get(n.peerId) ?? 0) >= WINDOWS * this.core.config.defectAfterMs;
  }

  /** Judgements start over (SwarmEngine.forgetJudgements): what we gave so far says nothing of the next round. */
  forget(): void {
    this.soleHolder = [];
    this.passers.clear();
    this.holding.clear();
    this.heldMs.clear();
  }

  private someoneElseLacks(n: Neighbor, chunkCount: number): boolean {
    for (const m of this.core.neighbors.values())
      if (m !== n && !m.removed && m.handshaked && (m.have?.count ?? 0) < chunkCount) return true;
    return false;
  }

  private sizeToLedger(): void {
    const count = this.core.ledger!.chunkCount;
    if (this.soleHolder.length !== count) this.soleHolder = new Array<string | typeof SEVERAL | undefined>(count);
  }
}
