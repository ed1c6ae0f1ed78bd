import type { SecretSource } from '../../layers/shared/src/domain/secret-source.js';

/** A secret that is always `value`, as the services read it in tests that do not exercise Secrets Manager. */
export const fixedSecret =
  (value: string): SecretSource =>
  () =>
    Promise.resolve(value);
