/*
 * Builds the functions, the layer and the agent console once for the whole e2e run, into a
 * temporary folder: every test file runs its own local system on those
 * artefacts, and a developer's .aws-sam/build (perhaps in use by `npm start`)
 * is left alone. Test files find the folder in E2E_BUILD_DIR.
 *
 * Jest loads this file as CommonJS through a require hook, hence the child process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function buildForEndToEndTests(_globalConfig: unknown, projectConfig: { rootDir: string }): void {
  const buildDir = mkdtempSync(join(tmpdir(), 'e2e-build-'));
  execFileSync(process.execPath, ['--import', 'tsx', join('tests', 'e2e', 'support', 'build-artefacts.ts'), buildDir], {
    cwd: projectConfig.rootDir,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env.E2E_BUILD_DIR = buildDir;
}
