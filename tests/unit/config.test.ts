/** The one configuration reader: service-level targets per deployment. */
import { describe, expect, test } from '@jest/globals';
import { ConfigError, readConfig } from '../../layers/shared/src/config.js';
import { DEFAULT_SERVICE_LEVEL_TARGETS } from '../../layers/shared/src/domain/service-levels.js';

const base = { TABLE_NAME: 'tickets', CURSOR_SECRET: 'x'.repeat(32) };

describe('SERVICE_LEVEL_TARGETS', () => {
  test("unset or empty: the contract's defaults", () => {
    expect(readConfig(base).serviceLevelTargets).toEqual(DEFAULT_SERVICE_LEVEL_TARGETS);
    expect(readConfig({ ...base, SERVICE_LEVEL_TARGETS: ' ' }).serviceLevelTargets).toEqual(
      DEFAULT_SERVICE_LEVEL_TARGETS,
    );
    expect(DEFAULT_SERVICE_LEVEL_TARGETS).toEqual({
      urgent: { firstResponseMinutes: 60, resolutionMinutes: 240 },
      high: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
      normal: { firstResponseMinutes: 480, resolutionMinutes: 4320 },
      low: { firstResponseMinutes: 1440, resolutionMinutes: 7200 },
    });
  });

  test('the template default reads as the defaults; priorities left out keep theirs', () => {
    const templateDefault = 'urgent=1h/4h,high=4h/1d,normal=8h/3d,low=1d/5d';
    expect(readConfig({ ...base, SERVICE_LEVEL_TARGETS: templateDefault }).serviceLevelTargets).toEqual(
      DEFAULT_SERVICE_LEVEL_TARGETS,
    );
    expect(readConfig({ ...base, SERVICE_LEVEL_TARGETS: 'urgent=30m/2h, low=2d/10d' }).serviceLevelTargets).toEqual({
      ...DEFAULT_SERVICE_LEVEL_TARGETS,
      urgent: { firstResponseMinutes: 30, resolutionMinutes: 120 },
      low: { firstResponseMinutes: 2880, resolutionMinutes: 14400 },
    });
  });

  test.each(['urgent=1h', 'urgent=0h/4h', 'critical=1h/4h', 'urgent=1w/4h', 'urgent=1h/4h,', 'urgent = 1h/4h'])(
    'a malformed value fails the cold start: %s',
    (value) => {
      expect(() => readConfig({ ...base, SERVICE_LEVEL_TARGETS: value })).toThrow(ConfigError);
    },
  );
});
