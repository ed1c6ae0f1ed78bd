/**
 * Builds the functions and the layer into the folder given as the first
 * argument, exactly as `npm start` does (scripts/build.ts), and the agent
 * console into its `console/` folder (scripts/build-console.ts). Run by the
 * e2e global setup in a child process: jest loads global setups as CommonJS,
 * where the build scripts' ES-module code cannot run.
 */
import { stop } from 'esbuild';
import { buildAll } from '../../../scripts/build.js';
import { buildConsole } from '../../../scripts/build-console.js';
import { consoleDirOf } from './build-layout.js';

const buildDir = process.argv[2];
if (!buildDir) throw new Error('Usage: build-artefacts.ts <build dir>');
await buildAll({ buildDir });
await buildConsole({ outDir: consoleDirOf(buildDir) });
await stop();
