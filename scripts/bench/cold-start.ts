/**
 * Cold start: how much longer than a bare `node` a fresh process takes to
 * import each function's built handler, laid out as Lambda lays it out (the
 * function's folder, its bare imports found in the built layer's
 * nodejs/node_modules), with the environment the template gives it plus what
 * Lambda's runtime sets (tracing on, as deployed); and the bytes of each
 * function's bundle and of each file of the layer.
 *
 * Each sample is a fresh process that prints performance.now() (time since
 * its start) once the handler module is imported; the bare process prints it
 * at once. Function and bare samples alternate, so a change of load on the
 * machine hits both alike; the figure is the difference of their medians.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readFunctionDefinitions } from '../../local/api/api-definition.js';
import { buildAll, type BuiltArtefact } from '../build.js';
import { esbuildFunctions, readTemplate } from '../sam-template.js';
import { median, rounded, type BenchPart, type Figure } from './figures.js';

const run = promisify(execFile);

const TARGET_MS = 40;
const RUNS = 20;
const QUICK_RUNS = 5;

const REGION = 'us-east-1';

interface Sandbox {
  logicalId: string;
  /** The function's folder, as Lambda's /var/task. */
  dir: string;
  env: Record<string, string>;
}

/** What Lambda's Node.js runtime adds to a function's own variables; Active tracing sets the X-Ray ones. */
function lambdaRuntimeVariables(logicalId: string, memorySize: number): Record<string, string> {
  return {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: `support-bench-${logicalId}`,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySize),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    _AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129',
    _AWS_XRAY_DAEMON_PORT: '2000',
    // Credentials exist in Lambda; none is used while loading.
    AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
    AWS_SECRET_ACCESS_KEY: 'benchmark',
    AWS_SESSION_TOKEN: 'benchmark',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
  };
}

/** Builds everything as deployed into `root`, and one Lambda-like folder per function. */
async function lambdaLikeSandboxes(root: string): Promise<{ sandboxes: Sandbox[]; built: BuiltArtefact[] }> {
  const buildDir = join(root, 'build');
  const built = await buildAll({ buildDir });
  const layers = built.filter(({ kind }) => kind === 'layer');
  const [layer] = layers;
  if (!layer || layers.length !== 1) throw new Error('The template should have exactly one layer built by make.');

  const template = readTemplate();
  const stack = { template, stackName: 'support-bench', region: REGION, accountId: '123456789012' };
  const definitions = new Map(readFunctionDefinitions(stack, buildDir).map((fn) => [fn.logicalId, fn]));
  const sandboxes: Sandbox[] = [];
  for (const { logicalId } of esbuildFunctions(template)) {
    const definition = definitions.get(logicalId);
    if (!definition) throw new Error(`${logicalId} has no definition in the template.`);
    const dir = join(root, 'task', logicalId);
    await mkdir(dir, { recursive: true });
    await cp(join(buildDir, logicalId), dir, { recursive: true });
    // Lambda puts /opt/nodejs/node_modules on the module path; beside the handler, Node finds it alike.
    await symlink(join(layer.dir, 'nodejs', 'node_modules'), join(dir, 'node_modules'), 'dir');
    sandboxes.push({
      logicalId,
      dir,
      env: {
        PATH: process.env.PATH ?? '',
        ...definition.environment,
        ...lambdaRuntimeVariables(logicalId, definition.memorySize),
        LAMBDA_TASK_ROOT: dir,
      },
    });
  }
  return { sandboxes, built };
}

/** Milliseconds from process start to the end of `script`, measured inside a fresh process. */
async function timedProcess(args: string[], cwd: string, env: Record<string, string>): Promise<number> {
  const { stdout } = await run(process.execPath, args, { cwd, env });
  const value = Number(stdout.trim().split('\n').at(-1));
  if (!Number.isFinite(value)) throw new Error(`No timing printed by node ${args.join(' ')}: ${stdout}`);
  return value;
}

const importHandler = (sandbox: Sandbox) =>
  timedProcess(
    ['--input-type=module', '-e', "await import('./handler.mjs'); console.log(performance.now());"],
    sandbox.dir,
    sandbox.env,
  );

const bareProcess = (sandbox: Sandbox) =>
  timedProcess(['-e', 'console.log(performance.now())'], sandbox.dir, sandbox.env);

const LAYER_PACKAGE_DIR = 'nodejs/node_modules/@aws-support-system/shared/';

/** A function's bundle (handler.mjs) in bytes; for the layer, each module (entry points and chunks) and its total. */
function bundleBytes(built: BuiltArtefact[]): Record<string, number | Record<string, number>> {
  const result: Record<string, number | Record<string, number>> = {};
  for (const artefact of [...built].sort((a, b) => a.logicalId.localeCompare(b.logicalId))) {
    if (artefact.kind === 'function') {
      result[artefact.logicalId] = artefact.files.find(({ path }) => path === 'handler.mjs')?.bytes ?? Number.NaN;
      continue;
    }
    const modules = artefact.files.filter(({ path }) => path.endsWith('.mjs'));
    result[artefact.logicalId] = {
      ...Object.fromEntries(modules.map(({ path, bytes }) => [path.replace(LAYER_PACKAGE_DIR, ''), bytes])),
      modulesTotal: modules.reduce((sum, { bytes }) => sum + bytes, 0),
      total: artefact.bytes,
    };
  }
  return result;
}

export const coldStartPart: BenchPart = {
  name: 'cold-start',
  measure: async ({ quick }) => {
    const runs = quick ? QUICK_RUNS : RUNS;
    const root = await mkdtemp(join(tmpdir(), 'support-cold-start-'));
    try {
      console.log('  building every function and the layer as deployed');
      const { sandboxes, built } = await lambdaLikeSandboxes(root);
      const samples = new Map(sandboxes.map(({ logicalId }) => [logicalId, { handler: [] as number[] }]));
      const bare: number[] = [];
      for (let round = 0; round < runs; round++) {
        for (const sandbox of sandboxes) {
          // Alternated, so machine load hits the function and the bare process alike.
          bare.push(await bareProcess(sandbox));
          samples.get(sandbox.logicalId)?.handler.push(await importHandler(sandbox));
        }
        console.log(`  round ${String(round + 1)}/${String(runs)}: bare node ${median(bare).toFixed(1)} ms so far`);
      }
      const bareMs = median(bare);
      const overhead: Record<string, number> = {};
      for (const [logicalId, { handler }] of samples) {
        overhead[logicalId] = rounded(median(handler) - bareMs, 1);
        console.log(
          `  ${logicalId}: ${median(handler).toFixed(1)} ms to import, ${(median(handler) - bareMs).toFixed(1)} ms over bare node`,
        );
      }

      const bytes = bundleBytes(built);
      const figures: Figure[] = [
        ...Object.entries(overhead).map(([logicalId, value]) => ({
          key: `coldStartOverheadMs.${logicalId}`,
          value,
          unit: 'ms',
          target: { atMost: TARGET_MS },
          note: `median of ${String(runs)} fresh processes minus bare node (${bareMs.toFixed(1)} ms)`,
        })),
        ...Object.entries(bytes).flatMap(([logicalId, value]) =>
          typeof value === 'number'
            ? [{ key: `bundleBytes.${logicalId}`, value, unit: 'bytes', note: 'handler.mjs' }]
            : [
                {
                  key: `bundleBytes.${logicalId}.modulesTotal`,
                  value: value.modulesTotal ?? Number.NaN,
                  unit: 'bytes',
                  note: 'every entry point and chunk',
                },
                {
                  key: `bundleBytes.${logicalId}.total`,
                  value: value.total ?? Number.NaN,
                  unit: 'bytes',
                  note: 'with source maps and data files',
                },
              ],
        ),
      ];
      return {
        results: { coldStartOverheadMs: overhead, coldStartBareNodeMs: rounded(bareMs, 1), bundleBytes: bytes },
        figures,
      };
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};
