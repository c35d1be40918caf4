/**
 * Per-project token buckets. A request costs its line count (or 1 per notice); when the bucket is
 * short the caller answers 429 with Retry-After — the one 4xx Logplex retries (HEROKU-FORMATS §1.4).
 */

/** Result of taking tokens: allowed, or how long until enough have refilled. */
export type RateDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number }

interface Bucket { tokens: number; at: number }

/** Token buckets keyed by project. `ratePerSecond` 0 disables the limit. */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>()
  constructor(readonly ratePerSecond: number, readonly burst: number, readonly now: () => number = Date.now) {}

  /** Take `cost` tokens from `key`'s bucket. A cost above the burst is allowed from a full bucket. */
  take(key: string, cost: number): RateDecision {
    if (this.ratePerSecond <= 0) return { ok: true }
    const now = this.now()
    const cap = Math.max(this.burst, this.ratePerSecond)
    const b = this.#buckets.get(key) ?? { tokens: cap, at: now }
    b.tokens = Math.min(cap, b.tokens + ((now - b.at) / 1000) * this.ratePerSecond)
    b.at = now
    this.#buckets.set(key, b)
    if (b.tokens >= cost || b.tokens >= cap) {
      b.tokens -= cost
      return { ok: true }
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - b.tokens) / this.ratePerSecond)) }
  }
}
