/**
 * Builds the agent console into the folder given as the first argument, as
 * `npm run build:console` builds web/dist. Run by the browser tests' global
 * setup in a child process: jest loads global setups as CommonJS, where the
 * build's ES-module code cannot run.
 */
import { stop } from 'esbuild';
import { buildConsole } from '../../../scripts/build-console.js';

const dir = process.argv[2];
if (!dir) throw new Error('Usage: build-console-into.ts <dir>');
await buildConsole({ outDir: dir });
// esbuild keeps a service process for further builds; there will be none.
await stop();
