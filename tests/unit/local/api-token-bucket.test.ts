import { describe, expect, test } from '@jest/globals';
import { TokenBucket } from '../../../local/api/token-bucket.js';

/** API Gateway's stage throttle, on a clock the test moves by hand. */
describe('TokenBucket', () => {
  const fakeClock = () => {
    let nowMs = 1_000;
    return { now: () => nowMs, advance: (ms: number) => (nowMs += ms) };
  };
  const take = (bucket: TokenBucket, count: number) => Array.from({ length: count }, () => bucket.tryTake());

  test('starts full: a burst of burstLimit requests passes, the next is refused', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 3 }, clock.now);
    expect(take(bucket, 4)).toEqual([true, true, true, false]);
  });

  test('refills at rateLimit tokens per second', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 5 }, clock.now);
    take(bucket, 5);
    clock.advance(499);
    expect(bucket.tryTake()).toBe(false); // 0.998 of a token
    clock.advance(1);
    expect(bucket.tryTake()).toBe(true); // one token after 500 ms at 2 per second
    expect(bucket.tryTake()).toBe(false);
    clock.advance(1_500);
    expect(take(bucket, 4)).toEqual([true, true, true, false]);
  });

  test('never holds more than burstLimit, however long it rests', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ rateLimit: 100, burstLimit: 2 }, clock.now);
    clock.advance(60_000);
    expect(take(bucket, 3)).toEqual([true, true, false]);
  });

  test('a refused request takes nothing: tokens keep accruing while requests are refused', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ rateLimit: 1, burstLimit: 1 }, clock.now);
    expect(bucket.tryTake()).toBe(true);
    const refused = [250, 250, 250].map((ms) => {
      clock.advance(ms);
      return bucket.tryTake();
    });
    expect(refused).toEqual([false, false, false]);
    clock.advance(250);
    expect(bucket.tryTake()).toBe(true);
  });
});
