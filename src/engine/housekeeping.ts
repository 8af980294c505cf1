/**
 * The engine's one periodic timer (every tickMs): handshake and idle timeouts, keep-alives,
 * snubbing and request timeouts, metadata fetch timeouts, super-seeding patience, idle upload
 * slots, the tit-for-tat rechoke, and the periodic resync of choke/interest/bitfield.
 */
import { CHOKE, INTERESTED, KEEP_ALIVE, NOT_INTERESTED, UNCHOKE } from '../protocol/wire-messages';
import type { EngineCore } from './core';
import type { TimerHandle } from './types';

export class Housekeeping {
  private timer: TimerHandle | undefined;
  private nextRechokeAt: number;
  private nextResyncAt: number;

  constructor(private readonly core: EngineCore) {
    const now = core.clock.now();
    this.nextRechokeAt = now + core.config.rechokeIntervalMs;
    this.nextResyncAt = now + core.config.resyncIntervalMs;
  }

  start(): void {
    if (this.core.destroyed) return;
    this.timer = this.core.clock.setTimeout(() => this.tick(), this.core.config.tickMs);
  }

  stop(): void {
    if (this.timer !== undefined) this.core.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const core = this.core;
    if (core.destroyed) return;
    const now = core.now();
    const c = core.config;
    for (const n of [...core.neighbors.values()]) {
      if (n.removed) continue;
      if (!n.handshaked && now - n.connectedAt >= c.handshakeTimeoutMs) core.dropNeighbor(n, 'timeout');
      else if (c.idleTimeoutMs > 0 && now - n.lastReceivedAt >= c.idleTimeoutMs) core.dropNeighbor(n, 'timeout');
      else if (now - n.lastSentAt >= c.keepAliveMs) core.send(n, KEEP_ALIVE);
    }
    core.meta.tick(now);
    core.download.tick(now);
    core.superSeed.tick();
    core.passOn.tick(now);
    core.reciprocity.tick(now);
    if (now >= this.nextRechokeAt) {
      this.nextRechokeAt = now + c.rechokeIntervalMs;
      core.choke.periodic();
    } else {
      core.choke.topUpStarters();
      core.choke.fillIdle();
    }
    if (c.resyncIntervalMs > 0 && now >= this.nextResyncAt) {
      this.nextResyncAt = now + c.resyncIntervalMs;
      this.resync();
    }
    this.start();
  }

  /** Re-states choke, interest and our bitfield, so a lost message cannot stall a link for good. */
  private resync(): void {
    const core = this.core;
    const have = core.ledger && core.ledger.have.count > 0 ? core.ledger.have.toBytes() : undefined;
    for (const n of [...core.neighbors.values()]) {
      if (!n.handshaked || n.removed) continue;
      core.send(n, core.choke.isChoking(n) ? CHOKE : UNCHOKE);
      core.send(n, core.download.isInterestedIn(n) ? INTERESTED : NOT_INTERESTED);
      const bits = core.superSeed.active ? core.superSeed.shownTo(n) : have;
      if (bits) core.send(n, { type: 'bitfield', bits });
    }
  }
}
