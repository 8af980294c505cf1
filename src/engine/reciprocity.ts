/**
 * Reciprocation memory: which neighbors ever gave to us, and which took from us but, holding
 * chunks we wanted for long, never unchoked us (defectors). A defector gets our upload only through the optimistic
 * slot (choke-manager.ts) and, together with every other defector, at most an optimistic slot's
 * share of our uplink (this module's token bucket, applied by the uploader). Without this a free
 * rider holding a fifth of the file when the contributors finish is served by every new seeder
 * at its full downlink, and finishes barely later than they do.
 *
 * Only wire behaviour counts: a neighbor that has unchoked us once is a giver for good. One that
 * we have unchoked and that we were interested in (it had chunks we lacked) for `defectAfterMs`
 * of ticks without it ever unchoking us is a defector: tit-for-tat's defection, we gave and it
 * did not give back. A pair of honest peers that never unchoked each other (4 + 1 slots among
 * 20 neighbors leave many) is no defector to either; nor is a newcomer we never wanted anything
 * from. The memory is kept by peer id, so reconnecting does not wipe it.
 */
import type { EngineCore, NeighborHooks } from './core';
import type { Neighbor } from './neighbor';
import { rememberId, rememberValue } from './peer-memory';
import { TokenBucket } from './rate';
import type { TimerHandle } from './types';

export class Reciprocity implements NeighborHooks {
  /** Peer ids that have unchoked us at least once. */
  private readonly gave = new Set<string>();
  /** Peer ids we have unchoked at least once. */
  private readonly unchokedByUs = new Set<string>();
  /** Peer id -> ms we wanted from it while it had never unchoked us. */
  private readonly withheld = new Map<string, number>();
  private lastTickAt: number;
  /** The highest upload rate measured: our uplink as far as we know it. */
  private peakUpBps = 0;
  /** What all defectors together may take from our uplink. */
  private readonly bucket: TokenBucket;
  private shareBps = 0;
  /** Defectors whose next block waits for the bucket, and the timer that serves them then. */
  private readonly held = new Set<Neighbor>();
  private timer: TimerHandle | undefined;

  constructor(private readonly core: EngineCore) {
    this.lastTickAt = core.now();
    this.bucket = new TokenBucket(Infinity, this.lastTickAt);
  }

  /** Every tick: time spent wanting from neighbors that never unchoked us, and the uplink's peak. */
  tick(now: number): void {
    const dt = now - this.lastTickAt;
    this.lastTickAt = now;
    const download = this.core.download;
    for (const n of this.core.neighbors.values()) {
      if (!n.handshaked || n.removed) continue;
      if (download.hasUnchokedUs(n)) rememberId(this.gave, n.peerId);
      else if (download.isInterestedIn(n) && !this.gave.has(n.peerId))
        rememberValue(this.withheld, n.peerId, (this.withheld.get(n.peerId) ?? 0) + dt);
    }
    this.learnUplink(now);
  }

  /** We unchoke `n` (choke-manager.ts). */
  onUnchoked(n: Neighbor): void {
    rememberId(this.unchokedByUs, n.peerId);
  }

  /** We have unchoked it, it held chunks we wanted for defectAfterMs, and it never unchoked us; or, at the sharer, it hoards. */
  defected(n: Neighbor): boolean {
    if (this.core.passOn.hoards(n)) return true; // the sharer's judgement (pass-on.ts)
    if (this.core.download.hasUnchokedUs(n) || this.gave.has(n.peerId)) return false;
    if (!this.unchokedByUs.has(n.peerId)) return false;
    return (this.withheld.get(n.peerId) ?? 0) >= this.core.config.defectAfterMs;
  }

  /**
   * The uploader asks before sending `bytes` to `n`: 0 to send now, else it must wait (a
   * defector beyond the defectors' share); `n` is then served again when the share allows.
   */
  holdMs(n: Neighbor, bytes: number, now: number): number {
    if (!this.defected(n) || this.shareBps === 0) return 0;
    const wait = this.bucket.waitMs(now, bytes);
    if (wait > 0) this.hold(n, wait);
    return wait;
  }

  /** A block to a defector left: it counts against the defectors' share. */
  spent(n: Neighbor, bytes: number, now: number): void {
    if (this.shareBps > 0 && this.defected(n)) this.bucket.spend(bytes, now);
  }

  /** Held by the share (its queued requests do not mean our uplink is busy). */
  isHeld(n: Neighbor): boolean {
    return this.held.has(n);
  }

  onNeighborGone(n: Neighbor): void {
    if (this.core.download.hasUnchokedUs(n)) rememberId(this.gave, n.peerId);
    this.held.delete(n);
  }

  /** Judgements start over (SwarmEngine.forgetJudgements); the uplink learned stays. */
  forget(): void {
    this.gave.clear();
    this.unchokedByUs.clear();
    this.withheld.clear();
  }

  destroy(): void {
    if (this.timer !== undefined) this.core.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.held.clear();
  }

  /**
   * The defectors' share: one optimistic slot's part of the uplink, uplink / (uploadSlots + 1).
   * Re-set only when it moves by a tenth (a new rate empties the bucket).
   */
  private learnUplink(now: number): void {
    this.peakUpBps = Math.max(this.peakUpBps, this.core.upMeter.get(now));
    const share = this.peakUpBps / (this.core.config.uploadSlots + 1);
    if (share > 0 && Math.abs(share - this.shareBps) > 0.1 * this.shareBps) {
      this.shareBps = share;
      this.bucket.setRate(share, now);
    }
  }

  private hold(n: Neighbor, waitMs: number): void {
    this.held.add(n);
    if (this.timer !== undefined) return;
    this.timer = this.core.clock.setTimeout(this.release, Math.max(1, waitMs));
  }

  private readonly release = (): void => {
    this.timer = undefined;
    const held = [...this.held];
    this.held.clear();
    for (const n of held) if (!n.removed && !this.core.destroyed) this.core.upload.serve(n);
  };
}
