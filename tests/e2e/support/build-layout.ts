import { join } from 'node:path';

/** Where, in the e2e build folder (E2E_BUILD_DIR), the agent console is built. */
export const consoleDirOf = (buildDir: string): string => join(buildDir, 'console');
