import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FunctionDefinition } from '../../../local/api/api-definition.js';
import { FunctionRuntime } from '../../../local/api/lambda-runtime/function-runtime.js';

/**
 * Built functions run as in Lambda: the bare import of the shared package
 * resolves to the built layer (never to the repository's node_modules), each
 * execution environment loads the handler once, keeps its own environment
 * variables, and is replaced after a timeout or a crash.
 */

const LAYER_PACKAGE = '@aws-support-system/shared';
/** In the project's node_modules only: a dev dependency, say, that the layer does not carry. */
const PROJECT_ONLY_PACKAGE = 'project-only-package';

describe('FunctionRuntime', () => {
  let root: string;
  let layerDir: string;
  const runtimes: FunctionRuntime[] = [];

  const write = (path: string, content: string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  };

  /** A built function folder, as .aws-sam/build/<LogicalId>/ holds it. */
  const builtFunction = (logicalId: string, source: string, timeoutSeconds = 3): FunctionDefinition => {
    const codeDir = join(root, 'build', logicalId);
    write(join(codeDir, 'handler.mjs'), source);
    return {
      logicalId,
      codeDir,
      handlerFile: join(codeDir, 'handler.mjs'),
      handlerExport: 'handler',
      timeoutSeconds,
      memorySize: 128,
      environment: {},
    };
  };

  const run = (definition: FunctionDefinition, environment: Record<string, string> = {}) => {
    const runtime = new FunctionRuntime(definition, { layerDir, environment, logOutput: null, maxEnvironments: 2 });
    runtimes.push(runtime);
    return runtime;
  };

  beforeAll(() => {
    // A project of its own: root/build/ as .aws-sam/build/, and above it the
    // project's node_modules, which Node's own resolution would reach by walking
    // up from a function, and which Lambda never sees.
    root = mkdtempSync(join(tmpdir(), 'function-runtime-test-'));
    layerDir = join(root, 'build', 'SharedLayer');
    const layerPackage = join(layerDir, 'nodejs', 'node_modules', LAYER_PACKAGE);
    write(
      join(layerPackage, 'package.json'),
      JSON.stringify({ name: LAYER_PACKAGE, type: 'module', exports: { '.': './index.mjs' } }),
    );
    write(join(layerPackage, 'index.mjs'), "export const origin = 'built layer';");
    const projectPackage = join(root, 'node_modules', PROJECT_ONLY_PACKAGE);
    write(
      join(projectPackage, 'package.json'),
      JSON.stringify({ name: PROJECT_ONLY_PACKAGE, type: 'module', exports: { '.': './index.mjs' } }),
    );
    write(join(projectPackage, 'index.mjs'), "export const origin = 'project node_modules';");
  });
  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  test('resolves the shared package to the built layer, as Lambda resolves /opt/nodejs/node_modules', async () => {
    const fn = builtFunction(
      'LayerFunction',
      `import { origin } from '${LAYER_PACKAGE}';
       export const handler = async () => ({ statusCode: 200, body: origin });`,
    );
    expect(await run(fn).invoke({})).toEqual({ kind: 'result', result: { statusCode: 200, body: 'built layer' } });
  });

  test('a package that is neither in the layer nor built in fails the cold start, as in Lambda', async () => {
    const fn = builtFunction(
      'LeakyFunction',
      `import { origin } from '${PROJECT_ONLY_PACKAGE}'; export const handler = async () => ({ statusCode: 200, body: origin });`,
    );
    const outcome = await run(fn).invoke({});
    expect(outcome).toMatchObject({
      kind: 'error',
      errorMessage: expect.stringContaining(`Cannot find package '${PROJECT_ONLY_PACKAGE}'`),
    });
  });

  test('loads the handler once per execution environment and gives it the event, context and environment', async () => {
    const fn = builtFunction(
      'StatefulFunction',
      `let coldStarts = 0; coldStarts += 1; let invocations = 0;
       export const handler = async (event, context) => ({
         statusCode: 200,
         body: JSON.stringify({ coldStarts, invocations: ++invocations, echo: event.value,
           env: process.env.GREETING, home: process.env.HOME ?? null,
           functionName: context.functionName, remaining: context.getRemainingTimeInMillis() > 0 }),
       });`,
    );
    const runtime = run(fn, { GREETING: 'hello' });
    const bodies = [];
    for (const value of [1, 2]) {
      const outcome = await runtime.invoke({ value });
      bodies.push(JSON.parse((outcome as { result: { body: string } }).result.body));
    }
    expect(bodies).toEqual([
      {
        coldStarts: 1,
        invocations: 1,
        echo: 1,
        env: 'hello',
        home: null,
        functionName: 'StatefulFunction',
        remaining: true,
      },
      {
        coldStarts: 1,
        invocations: 2,
        echo: 2,
        env: 'hello',
        home: null,
        functionName: 'StatefulFunction',
        remaining: true,
      },
    ]);
  });

  test('runs concurrent invocations in separate environments, one invocation each', async () => {
    const fn = builtFunction(
      'SlowFunction',
      `const environment = Math.random();
       export const handler = async () => { await new Promise((r) => setTimeout(r, 200)); return { statusCode: 200, body: String(environment) }; };`,
    );
    const runtime = run(fn);
    const outcomes = await Promise.all([runtime.invoke({}), runtime.invoke({}), runtime.invoke({})]);
    const environments = new Set(outcomes.map((outcome) => (outcome as { result: { body: string } }).result.body));
    // At most two environments (maxEnvironments); the third invocation waited for one.
    expect(environments.size).toBe(2);
  });

  test('reports an error the handler throws, and keeps the environment', async () => {
    const fn = builtFunction(
      'FailingFunction',
      `let calls = 0; export const handler = async () => { calls += 1; if (calls === 1) throw new TypeError('boom'); return { statusCode: 200, body: String(calls) }; };`,
    );
    const runtime = run(fn);
    expect(await runtime.invoke({})).toEqual({ kind: 'error', errorType: 'TypeError', errorMessage: 'boom' });
    expect(await runtime.invoke({})).toEqual({ kind: 'result', result: { statusCode: 200, body: '2' } });
  });

  test('ends an environment whose invocation times out; the next invocation is a cold start', async () => {
    const fn = builtFunction(
      'HangingFunction',
      `let invocations = 0;
       export const handler = async (event) => { invocations += 1; if (event.hang) await new Promise(() => setInterval(() => {}, 1000)); return { statusCode: 200, body: String(invocations) }; };`,
      1,
    );
    const runtime = run(fn);
    expect(await runtime.invoke({ hang: true })).toEqual({ kind: 'timeout', timeoutSeconds: 1 });
    expect(await runtime.invoke({})).toEqual({ kind: 'result', result: { statusCode: 200, body: '1' } });
  });

  test('a request waiting for the only environment gets a fresh one when that one times out', async () => {
    const fn = builtFunction(
      'SingleFunction',
      `export const handler = async (event) => { if (event.hang) await new Promise(() => setInterval(() => {}, 1000)); return { statusCode: 200 }; };`,
      1,
    );
    const runtime = new FunctionRuntime(fn, { layerDir, environment: {}, logOutput: null, maxEnvironments: 1 });
    runtimes.push(runtime);
    const [hung, waiting] = await Promise.all([runtime.invoke({ hang: true }), runtime.invoke({})]);
    expect(hung).toEqual({ kind: 'timeout', timeoutSeconds: 1 });
    expect(waiting).toEqual({ kind: 'result', result: { statusCode: 200 } });
  });

  test('a handler that is not exported fails the cold start with a clear error', async () => {
    const fn = builtFunction('NoHandlerFunction', 'export const somethingElse = 1;');
    expect(await run(fn).invoke({})).toMatchObject({
      kind: 'error',
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: expect.stringContaining('does not export a function named handler'),
    });
  });
});
