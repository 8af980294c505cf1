/**
 * The upload side: neighbors' requests queued per neighbor, served while they are unchoked, under
 * the upload token bucket, and never past the transport's high-water mark (resumed on drain).
 * A few recently read chunks are cached so 16 KiB blocks of one chunk cost one store read.
 */
import type { CancelMessage, RequestMessage } from '../protocol/wire-messages';
import type { EngineCore } from './core';
import type { IncomingRequest, Neighbor } from './neighbor';
import type { TimerHandle } from './types';

const CACHE_CHUNKS = 4;

export class Uploader {
  private readonly waiting = new Set<Neighbor>();
  private timer: TimerHandle | undefined;
  private readonly cache = new Map<number, Uint8Array>();

  constructor(private readonly core: EngineCore) {}

  onRequest(n: Neighbor, m: RequestMessage): void {
    const ledger = this.core.ledger;
    if (!ledger) return this.core.protocolError(n, 'request before we announced any chunk');
    const { index, offset, length } = m;
    if (!Number.isInteger(index) || index < 0 || index >= ledger.chunkCount) return this.core.protocolError(n, `request for chunk ${index} out of range`);
    const maxLength = Math.min(n.link.maxBlockBytes, ledger.geometry.chunkSize);
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 1 || length > maxLength || offset + length > ledger.chunkLength(index)) {
      return this.core.protocolError(n, `request ${index}@${offset}+${length} is outside the chunk or too long`);
    }
    if (n.amChoking) return; // BEP 3: requests while choked are dropped
    if (!ledger.have.has(index)) return; // never announced (e.g. a stale resync): ignore
    if (n.requestsIn.length >= this.core.config.maxIncomingRequests) return this.core.protocolError(n, 'too many queued requests');
    n.requestsIn.push({ index, offset, length });
    this.core.superSeed.onRequest(n, index);
    this.serve(n);
  }

  onCancel(n: Neighbor, m: CancelMessage): void {
    const i = n.requestsIn.findIndex((r) => r.index === m.index && r.offset === m.offset && r.length === m.length);
    if (i >= 0) n.requestsIn.splice(i, 1);
  }

  /** Choking a neighbor discards its queued requests. */
  dropRequests(n: Neighbor): void {
    n.requestsIn = [];
    this.waiting.delete(n);
  }

  /** Sends what can be sent to `n` now; called on request, unchoke, drain and token refill. */
  serve(n: Neighbor): void {
    const core = this.core;
    while (!n.serving && !n.removed && !n.amChoking && n.requestsIn.length > 0 && !core.destroyed) {
      const r = n.requestsIn[0]!;
      const buffered = n.link.bufferedAmount;
      if (buffered > 0 && buffered + r.length > core.config.highWaterBytes) return; // resumed by onDrain
      const now = core.now();
      if (!core.upBucket.canSpend(now)) {
        this.waiting.add(n);
        this.schedule();
        return;
      }
      n.requestsIn.shift();
      core.upBucket.spend(r.length, now);
      const cached = this.cache.get(r.index);
      if (cached) {
        this.sendBlock(n, r, cached);
        continue;
      }
      n.serving = true;
      void this.readAndSend(n, r);
    }
    if (n.requestsIn.length === 0 && !n.serving) core.superSeed.onMaybeIdle();
  }

  private async readAndSend(n: Neighbor, r: IncomingRequest): Promise<void> {
    let chunk: Uint8Array | undefined;
    try {
      chunk = await this.core.store.get(r.index);
    } catch (error) {
      chunk = undefined;
      this.core.emit({ type: 'error', error: error as Error });
    }
    n.serving = false;
    if (n.removed || this.core.destroyed) return;
    if (chunk && chunk.length >= r.offset + r.length) {
      this.remember(r.index, chunk);
      this.sendBlock(n, r, chunk);
    }
    this.serve(n);
  }

  private sendBlock(n: Neighbor, r: IncomingRequest, chunk: Uint8Array): void {
    // The whole chunk is sent as the same object, so a simulator's memoized hasher sees one buffer.
    let data = r.offset === 0 && r.length === chunk.length ? chunk : chunk.subarray(r.offset, r.offset + r.length);
    if (this.core.config.corruptUploads) {
      data = data.slice();
      data[0] = data[0]! ^ 0xff;
    }
    const now = this.core.now();
    n.up.add(r.length, now);
    this.core.upMeter.add(r.length, now);
    this.core.send(n, { type: 'piece', index: r.index, offset: r.offset, data });
  }

  private remember(index: number, chunk: Uint8Array): void {
    this.cache.delete(index);
    this.cache.set(index, chunk);
    if (this.cache.size > CACHE_CHUNKS) this.cache.delete(this.cache.keys().next().value!);
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(1, this.core.upBucket.waitMs(this.core.now()));
    this.timer = this.core.clock.setTimeout(() => {
      this.timer = undefined;
      this.resumeWaiting();
    }, wait);
  }

  /** Rate caps changed or tokens refilled: serve the neighbors that were waiting for tokens. */
  resumeWaiting(): void {
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const n of waiting) this.serve(n);
  }

  destroy(): void {
    if (this.timer !== undefined) this.core.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.cache.clear();
  }
}
