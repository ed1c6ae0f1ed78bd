/** Removes what browser-global-setup built (loaded as CommonJS, see there). */
import { rmSync } from 'node:fs';
import removeEndToEndBuild from '../../e2e/support/e2e-global-teardown';

export default function removeBrowserTestBuilds(): void {
  removeEndToEndBuild();
  const consoleDir = process.env.BROWSER_CONSOLE_DIR;
  if (consoleDir) rmSync(consoleDir, { recursive: true, force: true });
}
