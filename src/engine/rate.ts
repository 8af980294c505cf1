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
 * Token bucket: `rate` bytes per second. A cap must hold from the moment it is applied: the bucket
 * starts empty whenever a finite rate is set, and a spend of `bytes` waits until the balance covers
 * all of it, so the bytes sent t ms after the cap was applied never exceed rate * t (a lecture bound
 * computed from the cap stays a lower bound on the measured time). Tokens saved while idle are kept
 * up to `burstSeconds` of the rate, or one spend if that is larger, so a block bigger than the
 * burst still goes through.
 */
export class TokenBucket {
  private tokens = 0;
  private last: number;

  constructor(
    private rate: number,
    now: number,
    private burstSeconds = 0.25,
  ) {
    this.last = now;
  }

  get limited(): boolean {
    return Number.isFinite(this.rate);
  }

  private get burst(): number {
    return this.rate * this.burstSeconds;
  }

  /** Applies a new rate; a finite one starts from an empty bucket. */
  setRate(rate: number, now: number): void {
    this.rate = rate;
    this.tokens = 0;
    this.last = now;
  }

  /** True when `bytes` may be sent now. */
  canSpend(now: number, bytes = 1): boolean {
    if (!this.limited) return true;
    this.refill(now, bytes);
    return this.tokens >= bytes;
  }

  spend(bytes: number, now: number): void {
    if (!this.limited) return;
    this.refill(now, bytes);
    this.tokens -= bytes;
  }

  /** Milliseconds until canSpend(now, bytes) turns true (0 when it already is). */
  waitMs(now: number, bytes = 1): number {
    if (!this.limited) return 0;
    this.refill(now, bytes);
    if (this.tokens >= bytes) return 0;
    return Math.ceil(((bytes - this.tokens) * 1000) / this.rate);
  }

  private refill(now: number, bytes: number): void {
    const dt = now - this.last;
    if (dt > 0) {
      this.tokens = Math.min(Math.max(this.burst, bytes), this.tokens + (this.rate * dt) / 1000);
      this.last = now;
    }
  }
}
