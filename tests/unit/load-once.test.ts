import { describe, expect, test } from '@jest/globals';
import { loadOnce } from '../../layers/shared/src/load-once.js';

describe('loadOnce', () => {
  test('loads once: every call, at once or later, gets the first load', async () => {
    let loads = 0;
    const load = loadOnce(() => Promise.resolve(++loads));
    const [first, second] = await Promise.all([load(), load()]);
    expect([first, second, await load()]).toEqual([1, 1, 1]);
    expect(loads).toBe(1);
  });

  test('a failed load is not kept: the next call loads again', async () => {
    let loads = 0;
    const load = loadOnce(() => {
      loads += 1;
      return loads === 1 ? Promise.reject(new Error('chunk missing')) : Promise.resolve('loaded');
    });
    await expect(load()).rejects.toThrow('chunk missing');
    await expect(load()).resolves.toBe('loaded');
    await expect(load()).resolves.toBe('loaded');
    expect(loads).toBe(2);
  });
});
