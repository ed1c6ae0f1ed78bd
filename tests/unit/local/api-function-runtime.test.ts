import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FunctionDefinition } from '../../../local/api/api-definition.js';
import {
  EnvironmentBudget,
  FunctionRuntime,
  IDLE_ENVIRONMENT_TAKEN_AFTER_MS,
} from '../../../local/api/lambda-runtime/function-runtime.js';

/**
 * Built functions run as in Lambda: the bare import of the shared package
 * resolves to the built layer (never to the repository's node_modules), each
 * execution environment loads the handler once, keeps its own environment
 * variables, and is replaced after a timeout or a crash. Functions sharing a
 * budget of environments make way for each other, oldest request first.
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
  describe('with a budget of environments shared by functions', () => {
    /** Each environment names itself: a cold start gives a new name. An invocation with `holdUntil` lasts until that file exists. */
    const namingFunction = (logicalId: string) =>
      builtFunction(
        logicalId,
        `import { existsSync } from 'node:fs';
         const environment = Math.random();
         export const handler = async (event) => {
           while (event.holdUntil && !existsSync(event.holdUntil)) await new Promise((r) => setTimeout(r, 10));
           return { statusCode: 200, body: String(environment) };
         };`,
      );
    const runWithin = (budget: EnvironmentBudget, definition: FunctionDefinition, maxEnvironments = 2) => {
      const runtime = new FunctionRuntime(definition, {
        layerDir,
        environment: {},
        logOutput: null,
        maxEnvironments,
        budget,
      });
      runtimes.push(runtime);
      return runtime;
    };
    const environmentOf = async (runtime: FunctionRuntime, event: { holdUntil?: string } = {}) => {
      const outcome = await runtime.invoke(event);
      expect(outcome).toMatchObject({ kind: 'result' });
      return (outcome as { result: { body: string } }).result.body;
    };
    /** A file an invocation waits for; writing it ends the invocation. */
    const hold = (name: string) => {
      const path = join(root, `${name}-${String(Math.random())}`);
      return {
        holdUntil: path,
        end: () => {
          writeFileSync(path, '');
        },
      };
    };

    test('once it is spent, a new environment replaces the least recently used idle one of another function', async () => {
      const budget = new EnvironmentBudget(2);
      const [first, second, third] = ['FirstFunction', 'SecondFunction', 'ThirdFunction'].map((id) =>
        runWithin(budget, namingFunction(id)),
      );
      if (!first || !second || !third) throw new Error('three runtimes');
      const firstEnvironment = await environmentOf(first);
      const secondEnvironment = await environmentOf(second);
      expect(budget.inUse).toBe(2);

      await environmentOf(third);
      expect(budget.inUse).toBe(2);
      // The second function's environment, used after the first's, was kept; the first's was retired.
      expect(await environmentOf(second)).toBe(secondEnvironment);
      expect(await environmentOf(first)).not.toBe(firstEnvironment);
      expect(budget.inUse).toBe(2);
    });

    test('requests waiting for the budget are served oldest first, across functions', async () => {
      const budget = new EnvironmentBudget(1);
      const busy = runWithin(budget, namingFunction('BusyFunction'));
      const other = runWithin(budget, namingFunction('OtherFunction'));
      const finished: string[] = [];
      const track = (name: string, runtime: FunctionRuntime) =>
        environmentOf(runtime).then((environment) => {
          finished.push(name);
          return environment;
        });

      // One slot: the second function's request comes before the first function's second one, and is served before it.
      const [busyFirst, otherFirst, busySecond] = await Promise.all([
        track('busy 1', busy),
        track('other', other),
        track('busy 2', busy),
      ]);
      expect(finished).toEqual(['busy 1', 'other', 'busy 2']);
      expect(otherFirst).not.toBe(busyFirst);
      // The first function's environment made way for the other function's, so its second request had a cold start.
      expect(busySecond).not.toBe(busyFirst);
      expect(budget.inUse).toBe(1);
    });

    test("a warm environment stays with its function when the longer waiter's function has as many", async () => {
      const budget = new EnvironmentBudget(2);
      const first = runWithin(budget, namingFunction('FirstFunction'));
      const second = runWithin(budget, namingFunction('SecondFunction'));
      const [firstHeld, secondHeld] = [hold('first'), hold('second')];
      // Each function gets one environment; the second's next request waits longer than the first's.
      const firstOnce = environmentOf(first, firstHeld);
      const secondOnce = environmentOf(second, secondHeld);
      const secondAgain = environmentOf(second);
      const firstAgain = environmentOf(first);

      firstHeld.end();
      // The second function has an environment too: the first's stays warm for the first's own request…
      expect(await firstAgain).toBe(await firstOnce);
      // …and the second's request waits for the second's own, as long as it is busy.
      secondHeld.end();
      expect(await secondAgain).toBe(await secondOnce);
      expect(budget.inUse).toBe(2);
    });

    test("a function with a busy environment waits for it rather than take another function's just-used idle one", async () => {
      const budget = new EnvironmentBudget(2);
      const idle = runWithin(budget, namingFunction('IdleFunction'));
      const busy = runWithin(budget, namingFunction('BusyFunction'));
      const idleEnvironment = await environmentOf(idle);
      const held = hold('busy');
      const busyOnce = environmentOf(busy, held);
      const busyAgain = environmentOf(busy);
      held.end();
      expect(await busyAgain).toBe(await busyOnce);
      expect(await environmentOf(idle)).toBe(idleEnvironment);
      expect(budget.inUse).toBe(2);
    });

    test('an environment idle for a while is taken by a function whose own environment is busy', async () => {
      const budget = new EnvironmentBudget(2);
      const idle = runWithin(budget, namingFunction('IdleFunction'));
      const busy = runWithin(budget, namingFunction('BusyFunction'));
      const idleEnvironment = await environmentOf(idle);
      const held = hold('busy');
      const busyOnce = environmentOf(busy, held);
      const now = performance.now();
      const later = jest.spyOn(performance, 'now').mockReturnValue(now + IDLE_ENVIRONMENT_TAKEN_AFTER_MS);
      try {
        // Served while the busy function's own environment is still held: by a new one, in the idle one's slot.
        const busyAgain = await environmentOf(busy);
        expect(busyAgain).not.toBe(idleEnvironment);
        expect(budget.inUse).toBe(2);
      } finally {
        later.mockRestore();
        held.end();
      }
      await busyOnce;
    });

    test('a request withdrawn while it waits for the budget is never run', async () => {
      const budget = new EnvironmentBudget(1);
      const holder = runWithin(budget, namingFunction('HolderFunction'));
      const waiting = runWithin(budget, namingFunction('WaitingFunction'));
      const held = hold('holder');
      const holderOnce = environmentOf(holder, held);
      const answered = new AbortController();
      const withdrawn = waiting.invoke({}, answered.signal);
      answered.abort();
      expect(await withdrawn).toMatchObject({ kind: 'error', errorType: 'Runtime.Cancelled' });
      held.end();
      const holderEnvironment = await holderOnce;
      // Had the request still waited, the holder's environment would have made way for it.
      expect(await environmentOf(holder)).toBe(holderEnvironment);
      expect(budget.inUse).toBe(1);
    });

    test('a function at its own limit waits for its own environment, while the rest of the budget stays free', async () => {
      const budget = new EnvironmentBudget(3);
      const limited = runWithin(budget, namingFunction('LimitedFunction'), 1);
      const environments = await Promise.all([environmentOf(limited), environmentOf(limited)]);
      expect(new Set(environments).size).toBe(1);
      expect(budget.inUse).toBe(1);
    });

    test('an environment that fails to start frees its slot for a waiting request of another function', async () => {
      const budget = new EnvironmentBudget(1);
      const broken = runWithin(budget, builtFunction('BrokenFunction', "throw new Error('cannot start');"));
      const healthy = runWithin(budget, namingFunction('HealthyFunction'));
      const [brokenOutcome, healthyOutcome] = await Promise.all([broken.invoke({}), healthy.invoke({})]);
      expect(brokenOutcome).toMatchObject({ kind: 'error', errorMessage: 'cannot start' });
      expect(healthyOutcome).toMatchObject({ kind: 'result' });
      expect(budget.inUse).toBe(1);
      await healthy.stop();
      expect(budget.inUse).toBe(0);
    });

    test('an environment that crashes frees its slot for a waiting request of another function', async () => {
      const budget = new EnvironmentBudget(1);
      const crashing = runWithin(
        budget,
        builtFunction('CrashingFunction', 'export const handler = async () => { process.exit(1); };'),
      );
      const healthy = runWithin(budget, namingFunction('HealthyFunction'));
      const [crashOutcome, healthyOutcome] = await Promise.all([crashing.invoke({}), healthy.invoke({})]);
      expect(crashOutcome).toMatchObject({ kind: 'error', errorType: 'Runtime.ExitError' });
      expect(healthyOutcome).toMatchObject({ kind: 'result' });
      expect(budget.inUse).toBe(1);
    });

    test('an environment whose invocation times out frees its slot for a waiting request of another function', async () => {
      const budget = new EnvironmentBudget(1);
      const hanging = runWithin(
        budget,
        builtFunction(
          'HangingFunction',
          'export const handler = () => new Promise(() => setInterval(() => {}, 1000));',
          1,
        ),
      );
      const healthy = runWithin(budget, namingFunction('HealthyFunction'));
      const [hungOutcome, healthyOutcome] = await Promise.all([hanging.invoke({}), healthy.invoke({})]);
      expect(hungOutcome).toEqual({ kind: 'timeout', timeoutSeconds: 1 });
      expect(healthyOutcome).toMatchObject({ kind: 'result' });
      expect(budget.inUse).toBe(1);
    });

    test('stopping a function frees its slots and ends its waiting requests', async () => {
      const budget = new EnvironmentBudget(1);
      const stopping = runWithin(budget, namingFunction('StoppingFunction'), 1);
      const other = runWithin(budget, namingFunction('OtherFunction'));
      await environmentOf(stopping);
      const [busy, waiting] = [stopping.invoke({}), stopping.invoke({})];
      await stopping.stop();
      expect(await waiting).toMatchObject({
        kind: 'error',
        errorMessage: expect.stringContaining('The local API is stopping.'),
      });
      await busy;
      expect(budget.inUse).toBe(0);
      await environmentOf(other);
      expect(budget.inUse).toBe(1);
    });

    test('a budget is a whole number of environments from 1', () => {
      expect(() => new EnvironmentBudget(0)).toThrow(RangeError);
      expect(() => new EnvironmentBudget(1.5)).toThrow(RangeError);
    });
  });
});
