/** The one configuration reader hands the service-level setting on as set; the domain reads it. */
import { describe, expect, test } from '@jest/globals';
import { ConfigError, readConfig, readCursorSecretId } from '../../layers/shared/src/config.js';

const base = { TABLE_NAME: 'tickets' };

describe('SERVICE_LEVEL_TARGETS', () => {
  test('passed on as set, empty when unset', () => {
    expect(readConfig(base).serviceLevelTargets).toBe('');
    expect(readConfig({ ...base, SERVICE_LEVEL_TARGETS: 'urgent=30m/2h' }).serviceLevelTargets).toBe('urgent=30m/2h');
  });
});

describe('CURSOR_SECRET_ARN', () => {
  test("is not part of every function's configuration: the functions that need it read it on first use", () => {
    expect(readConfig(base)).not.toHaveProperty('cursorSecret');
    expect(readCursorSecretId({ CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x' })).toBe(
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x',
    );
  });

  test('missing or empty, it fails as a configuration error', () => {
    expect(() => readCursorSecretId({})).toThrow(ConfigError);
    expect(() => readCursorSecretId({ CURSOR_SECRET_ARN: ' ' })).toThrow(ConfigError);
  });
});
