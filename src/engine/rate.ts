/** Rate measurement and rate caps, computed lazily from the clock (no timers). */

/** Exponentially weighted bytes-per-second meter with time constant `windowMs`. */
export class RateMeter {
  private rate = 0;
  private last: number;
  total = 0;

  constructor(
    private readonly windowMs: number,
    now: number,
  ) {
    this.last = now;
  }

  add(bytes: number, now: number): void {
    this.decay(now);
    this.rate += (bytes * 1000) / this.windowMs;
    this.total += bytes;
  }

  /** Bytes per second as of `now`. */
  get(now: number): number {
    this.decay(now);
    return this.rate;
  }

  private decay(now: number): void {
    const dt = now - this.last;
    if (dt > 0) {
      this.rate *= Math.exp(-dt / this.windowMs);
      this.last = now;
    }
  }
}

/**
 * Token bucket: `rate` bytes per second, bursts up to `burst` bytes. Spending may drive the balance
 * negative (a whole block is sent at once); the next spend then waits until it is back above zero.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private rate: number,
    now: number,
    private burstSeconds = 0.25,
  ) {
    this.tokens = this.burst;
    this.last = now;
  }

  get limited(): boolean {
    return Number.isFinite(this.rate);
  }

  private get burst(): number {
    return this.rate * this.burstSeconds;
  }

  setRate(rate: number, now: number): void {
    this.refill(now);
    this.rate = rate;
    if (!this.limited) this.tokens = 0;
    else this.tokens = Math.min(this.tokens, this.burst);
  }

  /** True when something may be sent now. */
  canSpend(now: number): boolean {
    if (!this.limited) return true;
    this.refill(now);
    return this.tokens > 0;
  }

  spend(bytes: number, now: number): void {
    if (!this.limited) return;
    this.refill(now);
    this.tokens -= bytes;
  }

  /** Milliseconds until canSpend turns true (0 when it already is). */
  waitMs(now: number): number {
    if (!this.limited) return 0;
    this.refill(now);
    if (this.tokens > 0) return 0;
    return Math.ceil(((-this.tokens + 1) * 1000) / this.rate);
  }

  private refill(now: number): void {
    const dt = now - this.last;
    if (dt > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (this.rate * dt) / 1000);
      this.last = now;
    }
  }
}
