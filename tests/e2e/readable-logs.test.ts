import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { readFunctionDefinitions } from '../../local/api/api-definition.js';
import { FunctionRuntime } from '../../local/api/lambda-runtime/function-runtime.js';
import { DYNAMODB_LOCAL_CREDENTIALS } from '../../local/dynamodb/dynamodb-local.js';
import { localStack } from '../../local/system/local-stack.js';
import { agent, apiEvent } from '../support/api-gateway-event.js';
import { e2eBuildDir } from './support/local-system.js';
import { TempFolders } from './support/temp-folders.js';

/**
 * The built bundles keep their class names and ship source maps: a logged
 * error names its real class, and a stack trace points into the TypeScript
 * sources, as they would in Lambda with the template's NODE_OPTIONS.
 */
describe('readable logs from the built bundles', () => {
  const buildDir = e2eBuildDir();
  const layerIndex = join(
    buildDir,
    'SharedLayer',
    'nodejs',
    'node_modules',
    '@aws-support-system',
    'shared',
    'index.mjs',
  );
  const folders = new TempFolders();
  const stateDir = folders.make('readable-logs-');
  afterAll(() => {
    folders.removeAll();
  });

  test("a function's logged error carries the class's real name", async () => {
    const definition = readFunctionDefinitions(localStack({ region: 'us-east-1', stateDir }), buildDir).find(
      (fn) => fn.logicalId === 'GetTicketFunction',
    )!;
    const lines: string[] = [];
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n'));
        done();
      },
    });
    const runtime = new FunctionRuntime(definition, {
      layerDir: join(buildDir, 'SharedLayer'),
      environment: {
        ...definition.environment,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: DYNAMODB_LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: DYNAMODB_LOCAL_CREDENTIALS.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
        // Nothing listens there: the repository reports the table as unavailable.
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      logOutput: output,
    });
    try {
      const outcome = await runtime.invoke(
        apiEvent({
          method: 'GET',
          resource: '/tickets/{id}',
          pathParameters: { id: '01HZXREADYBE00000000000000' },
          claims: agent('ada'),
        }),
      );
      expect(outcome).toMatchObject({ kind: 'result', result: { statusCode: 503 } });
    } finally {
      await runtime.stop();
    }
    const logged = lines
      .map((line) => line.replace(/^\[GetTicketFunction\] /, ''))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.message === 'Request failed');
    expect(logged).toMatchObject({ status: 503, error: 'UnavailableError' });
  }, 60_000);

  test('a stack trace through the built layer points into its TypeScript sources', () => {
    const script = `
      const { UnavailableError, readConfig } = await import(${JSON.stringify(pathToFileURL(layerIndex).href)});
      let configError;
      try { readConfig({}); } catch (error) { configError = error; }
      const unavailable = new UnavailableError('The ticket store is unavailable.');
      console.log(JSON.stringify({ name: unavailable.name, stack: unavailable.stack, configName: configError.name, configStack: configError.stack }));
    `;
    const output = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      encoding: 'utf8',
    });
    const { name, stack, configName, configStack } = JSON.parse(output.trim().split('\n').pop()!) as Record<
      string,
      string
    >;
    expect(name).toBe('UnavailableError');
    expect(configName).toBe('ConfigError');
    expect(stack).toMatch(/^UnavailableError: The ticket store is unavailable\./);
    expect(configStack).toMatch(/layers\/shared\/src\/config\.ts:\d+:\d+/);
  });
});
