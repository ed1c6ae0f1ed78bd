import { describe, expect, test } from '@jest/globals';
import { detectSecrets } from '../../../layers/shared/src/analysis/secret-detectors.js';
import { isOwnSkeleton, skeletonOf } from '../../../layers/shared/src/analysis/secrets/skeleton.js';

const ASCII = Array.from({ length: 0x80 }, (_, code) => String.fromCharCode(code));

describe('isOwnSkeleton: text the detectors need not read twice', () => {
  test('whatever it says is its own skeleton is, character by character and in context', () => {
    for (const character of ASCII) {
      if (isOwnSkeleton(character)) expect(skeletonOf(character).text).toBe(character);
      const inContext = `PIN${character}1234 ${character}password${character}: hunter2${character}`;
      if (isOwnSkeleton(inContext)) expect(skeletonOf(inContext).text).toBe(inContext);
    }
  });

  test('plain ASCII prose is; markup, escapes, emphasis, look-alikes and accents are not', () => {
    expect(isOwnSkeleton('Invoice charged twice (INV-2024-0311), card 4111 1111 1111 1111.')).toBe(true);
    for (const text of ['<b>PIN</b> 1234', 'pass%20word', '**PIN:** 1234', 'pаssword', 'pássword', '①②③④'])
      expect(isOwnSkeleton(text)).toBe(false);
  });

  test('secrets disguised for the skeleton are still found', () => {
    expect(detectSecrets('**PIN:** 1234').map(({ type }) => type)).toContain('PIN');
    expect(detectSecrets('4111<b>1111</b>1111 1111').map(({ type }) => type)).toContain('CREDIT_DEBIT_NUMBER');
  });
});
