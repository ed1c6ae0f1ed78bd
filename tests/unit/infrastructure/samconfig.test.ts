import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { PROJECT_ROOT } from '../../../scripts/sam-template.js';

/**
 * `sam sync` builds before it deploys, but reads its options from its own
 * section: a build option set only under [build] (build_in_source, without
 * which SAM's esbuild workflow cannot find esbuild) is lost to `sam sync`.
 */

type Parameters = Record<string, unknown>;
type Environment = Partial<Record<'global' | 'build' | 'deploy' | 'sync' | 'validate', { parameters?: Parameters }>>;

const config = parse(readFileSync(join(PROJECT_ROOT, 'samconfig.toml'), 'utf8')) as Record<string, unknown>;
const environments = Object.entries(config).filter(
  (entry): entry is [string, Environment] => entry[0] !== 'version' && typeof entry[1] === 'object',
);

/** Build options `sam sync` accepts too: they must be the same there. */
const SHARED_BUILD_OPTIONS = new Set([
  'build_in_source',
  'use_container',
  'build_image',
  'base_dir',
  'container_env_var_file',
  'template_file',
]);
/** Build options `sam sync` has no flag for: it always builds cached and in parallel. */
const ALWAYS_IN_SYNC = new Set(['cached', 'parallel']);

const parametersOf = (environment: Environment, command: keyof Environment): Parameters =>
  environment[command]?.parameters ?? {};
/** The environments people build, deploy and sync from; the pipeline's `dev` only deploys what `sam build` built. */
const BUILT_ENVIRONMENTS = ['default', 'prod'];

describe('samconfig.toml', () => {
  test("has the dev (default) and prod environments, each with a build and a sync section, and the pipeline's dev", () => {
    expect(environments.map(([name]) => name).sort()).toEqual(['default', 'dev', 'prod']);
    for (const [name, environment] of environments) {
      const built = BUILT_ENVIRONMENTS.includes(name);
      expect({ name, build: environment.build?.parameters !== undefined }).toEqual({ name, build: built });
      expect({ name, sync: environment.sync?.parameters !== undefined }).toEqual({ name, sync: built });
    }
  });

  test("the pipeline's dev deploys the default stack with its parameters, to its own bucket, without a prompt", () => {
    const { default: byHand, dev } = Object.fromEntries(environments);
    expect(parametersOf(dev!, 'global').stack_name).toBe(parametersOf(byHand!, 'global').stack_name);
    const deploy = parametersOf(dev!, 'deploy');
    const { resolve_s3: resolveS3, ...byHandDeploy } = parametersOf(byHand!, 'deploy');
    expect(resolveS3).toBe(true);
    // --s3-bucket (the pipeline's) and resolve_s3 exclude each other in `sam deploy`.
    expect(deploy).toEqual({ ...byHandDeploy, confirm_changeset: false, fail_on_empty_changeset: false });
  });

  test.each(BUILT_ENVIRONMENTS)('%s: sync builds with every option its build sets', (name) => {
    const environment = Object.fromEntries(environments)[name]!;
    const build = parametersOf(environment, 'build');
    const sync = parametersOf(environment, 'sync');
    // An option neither shared nor implied needs a decision before it lands here.
    const unknown = Object.keys(build).filter((key) => !SHARED_BUILD_OPTIONS.has(key) && !ALWAYS_IN_SYNC.has(key));
    expect(unknown).toEqual([]);
    for (const [key, value] of Object.entries(build)) {
      if (ALWAYS_IN_SYNC.has(key)) {
        // sam sync's own behavior; only a value it would contradict is an error.
        expect({ key, value }).toEqual({ key, value: true });
        continue;
      }
      expect({ key, sync: sync[key] }).toEqual({ key, sync: value });
    }
    expect(build.build_in_source).toBe(true);
  });

  test.each(BUILT_ENVIRONMENTS)(
    '%s: sync makes no dependency layer and passes the same parameters as deploy',
    (name) => {
      const environment = Object.fromEntries(environments)[name]!;
      const sync = parametersOf(environment, 'sync');
      expect(sync.dependency_layer).toBe(false);
      expect(sync.parameter_overrides).toEqual(parametersOf(environment, 'deploy').parameter_overrides);
    },
  );

  test('only dev watches', () => {
    expect(parametersOf(Object.fromEntries(environments).default!, 'sync').watch).toBe(true);
    expect(parametersOf(Object.fromEntries(environments).prod!, 'sync').watch).toBe(false);
  });
});
