/*
 * The browser tests' global setup: the functions and the layer, built as for
 * the e2e tests (E2E_BUILD_DIR), and the agent console, built into a temporary
 * folder the tests find in BROWSER_CONSOLE_DIR (builtConsoleDir()).
 *
 * Jest loads this file as CommonJS through a require hook, hence the child
 * process, and the extensionless import (the hook maps no .js to .ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import buildForEndToEndTests from '../../e2e/support/e2e-global-setup';

export default function buildForBrowserTests(globalConfig: unknown, projectConfig: { rootDir: string }): void {
  buildForEndToEndTests(globalConfig, projectConfig);
  const consoleDir = mkdtempSync(join(tmpdir(), 'browser-console-'));
  execFileSync(
    process.execPath,
    ['--import', 'tsx', join('tests', 'browser', 'support', 'build-console-into.ts'), consoleDir],
    {
      cwd: projectConfig.rootDir,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  process.env.BROWSER_CONSOLE_DIR = consoleDir;
}
