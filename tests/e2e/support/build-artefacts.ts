/**
 * Builds the functions and the layer into the folder given as the first
 * argument, exactly as `npm start` does (scripts/build.ts). Run by the e2e
 * global setup in a child process: jest loads global setups as CommonJS, where
 * the build script's ES-module code cannot run.
 */
import { stop } from 'esbuild';
import { buildAll } from '../../../scripts/build.js';

const buildDir = process.argv[2];
if (!buildDir) throw new Error('Usage: build-artefacts.ts <build dir>');
await buildAll({ buildDir });
await stop();
