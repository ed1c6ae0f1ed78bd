/**
 * Builds the agent console into the folder given as the first argument, as
 * `npm run build:console` builds web/dist. Run by the browser tests' global
 * setup in a child process: jest loads global setups as CommonJS, where the
 * build's ES-module code cannot run.
 */
import { stop } from 'esbuild';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../../scripts/sam-template.js';

/** What scripts/build-console.ts exports. */
interface ConsoleBuilder {
  buildConsole: (options: { outDir: string; minify?: boolean }) => Promise<unknown>;
}

const CONSOLE_BUILDER = join(PROJECT_ROOT, 'scripts', 'build-console.ts');

/**
 * The console, built into `dir` by scripts/build-console.ts. Without that
 * script the folder stays empty (the console part then answers 503 at `/`),
 * and a note says so.
 */
export async function buildConsoleInto(dir: string): Promise<void> {
  if (!existsSync(CONSOLE_BUILDER)) {
    console.error(`${CONSOLE_BUILDER} is missing: the browser tests get an unbuilt console in ${dir}.`);
    return;
  }
  const { buildConsole } = (await import(pathToFileURL(CONSOLE_BUILDER).href)) as ConsoleBuilder;
  await buildConsole({ outDir: dir });
  // esbuild keeps a service process for further builds; there will be none.
  await stop();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) throw new Error('Usage: build-console-into.ts <dir>');
  await buildConsoleInto(dir);
}
