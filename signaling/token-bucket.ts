/**
 * Token bucket rate limiting: `ratePerSec` tokens refill continuously up to `burst`. One shared
 * policy object; each connection only carries two numbers (BucketState), refilled lazily when a
 * message arrives: no timers, nothing per connection beyond those numbers.
 */
export interface BucketState {
  tokens: number;
  tokensAt: number;
}

export class TokenBucket {
  constructor(
    readonly ratePerSec: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A full bucket, as a new connection gets. */
  fresh(): BucketState {
    return { tokens: this.burst, tokensAt: this.now() };
  }

  /** Takes one token from `state` if there is one. */
  take(state: BucketState): boolean {
    const t = this.now();
    state.tokens = Math.min(this.burst, state.tokens + ((t - state.tokensAt) / 1000) * this.ratePerSec);
    state.tokensAt = t;
    if (state.tokens < 1) return false;
    state.tokens -= 1;
    return true;
  }
}
