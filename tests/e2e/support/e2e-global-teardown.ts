/** Removes the build folder e2e-global-setup made (loaded as CommonJS, see there). */
import { rmSync } from 'node:fs';

export default function removeEndToEndBuild(): void {
  const buildDir = process.env.E2E_BUILD_DIR;
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
}
