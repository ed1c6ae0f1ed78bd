import type { StageThrottling } from './api-definition.js';

/**
 * API Gateway's stage throttle: a bucket of `burstLimit` tokens refilled at
 * `rateLimit` per second; a request that finds it empty is answered 429.
 */
export class TokenBucket {
  #tokens: number;
  #refilledAt: number;

  constructor(
    private readonly limits: StageThrottling,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = limits.burstLimit;
    this.#refilledAt = now();
  }

  tryTake(): boolean {
    const now = this.now();
    const refill = ((now - this.#refilledAt) / 1000) * this.limits.rateLimit;
    this.#tokens = Math.min(this.limits.burstLimit, this.#tokens + refill);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
