/** The one configuration reader hands the service-level setting on as set; the domain reads it. */
import { describe, expect, test } from '@jest/globals';
import { readConfig } from '../../layers/shared/src/config.js';

const base = { TABLE_NAME: 'tickets', CURSOR_SECRET: 'x'.repeat(32) };

describe('SERVICE_LEVEL_TARGETS', () => {
  test('passed on as set, empty when unset', () => {
    expect(readConfig(base).serviceLevelTargets).toBe('');
    expect(readConfig({ ...base, SERVICE_LEVEL_TARGETS: 'urgent=30m/2h' }).serviceLevelTargets).toBe('urgent=30m/2h');
  });
});
