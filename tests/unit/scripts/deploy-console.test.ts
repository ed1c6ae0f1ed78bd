import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, CreateInvalidationCommand, type Invalidation } from '@aws-sdk/client-cloudfront';
import { PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentTypeOf, IMMUTABLE, REVALIDATE } from '../../../scripts/console-files.js';
import { CONSOLE_OUTPUTS, deployConsole, NOT_FOUND_PAGE, type BuildConsole } from '../../../scripts/deploy-console.js';
import { parseConfig } from '../../../web/src/config.js';
import { samconfigDeployTarget } from '../../../scripts/deployed-stack.js';

/**
 * `npm run deploy:console`: what it reads from the stack, what it writes to
 * the console bucket and in which order, and what it invalidates (the SDK
 * mocked; the console's build replaced by a fake that writes known files).
 */

const cloudFormation = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
const cloudFront = mockClient(CloudFrontClient);

const STACK = 'aws-support-system-dev';
const REGION = 'eu-west-1';
const OUTPUTS: Record<(typeof CONSOLE_OUTPUTS)[number], string> = {
  ApiEndpoint: 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev',
  ConsoleUrl: 'https://d111111abcdef8.cloudfront.net',
  ConsoleBucketName: 'aws-support-system-dev-consolebucket-1a2b3c4d5e6f',
  ConsoleDistributionId: 'E2EXAMPLE7NW1',
  ConsoleAuthDomain: 'https://tickets-dev-51af3dc0.auth.eu-west-1.amazoncognito.com',
  ConsoleUserPoolClientId: '5consoleclientidexample00',
};

const deployedStack = (outputs: Record<string, string> = OUTPUTS): Stack => ({
  StackName: STACK,
  StackStatus: 'UPDATE_COMPLETE',
  CreationTime: new Date(0),
  Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
});

/** A build that writes what scripts/build-console.ts writes: index.html and hashed assets. */
const BUILT: Record<string, string> = {
  'index.html': '<!doctype html><script type="module" src="/assets/main-AB12CD34.js"></script>',
  'assets/main-AB12CD34.js': 'console.log("queue")',
  'assets/main-AB12CD34.js.map': '{"version":3}',
  'assets/main-EF56GH78.css': 'body{margin:0}',
};
const fakeBuild =
  (files: Record<string, string> = BUILT): BuildConsole =>
  (outDir) => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(outDir, path, '..'), { recursive: true });
      writeFileSync(join(outDir, path), content);
    }
    return Promise.resolve();
  };

const INVALIDATION: Invalidation = {
  Id: 'I2J0I21PCUYOIK',
  Status: 'InProgress',
  CreateTime: new Date(0),
  InvalidationBatch: { CallerReference: 'deploy-console-run', Paths: { Quantity: 1, Items: ['/'] } },
};

const without = (record: Record<string, string>, keys: string[]): Record<string, string> =>
  Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));

const puts = (): PutObjectCommandInput[] => s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
const putOf = (key: string) => puts().find((input) => input.Key === key);

beforeEach(() => {
  cloudFormation.reset();
  s3.reset();
  cloudFront.reset();
  cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [deployedStack()] });
  s3.on(PutObjectCommand).resolves({});
  cloudFront.on(CreateInvalidationCommand).resolves({ Invalidation: INVALIDATION });
});

describe('npm run deploy:console', () => {
  test('uploads the assets first, then config.json, and index.html last, into the stack console bucket', async () => {
    const deployed = await deployConsole({ stack: STACK, region: REGION, build: fakeBuild() });

    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({ StackName: STACK });
    const keys = puts().map((input) => input.Key);
    expect(deployed.uploaded).toEqual(keys);
    expect(keys.slice(0, 3).sort()).toEqual([
      'assets/main-AB12CD34.js',
      'assets/main-AB12CD34.js.map',
      'assets/main-EF56GH78.css',
    ]);
    expect(keys.slice(3)).toEqual(['404.html', 'config.json', 'index.html']);
    for (const input of puts()) {
      expect({ key: input.Key, bucket: input.Bucket }).toEqual({ key: input.Key, bucket: OUTPUTS.ConsoleBucketName });
    }
    expect(deployed.consoleUrl).toBe(OUTPUTS.ConsoleUrl);
  });

  test('hashed assets are cached for a year; the files that keep their names are revalidated', async () => {
    await deployConsole({ stack: STACK, region: REGION, build: fakeBuild() });

    expect(puts().map(({ Key, CacheControl, ContentType }) => ({ Key, CacheControl, ContentType }))).toEqual(
      expect.arrayContaining([
        { Key: 'assets/main-AB12CD34.js', CacheControl: IMMUTABLE, ContentType: 'text/javascript; charset=utf-8' },
        { Key: 'assets/main-AB12CD34.js.map', CacheControl: IMMUTABLE, ContentType: 'application/json; charset=utf-8' },
        { Key: 'assets/main-EF56GH78.css', CacheControl: IMMUTABLE, ContentType: 'text/css; charset=utf-8' },
        { Key: '404.html', CacheControl: REVALIDATE, ContentType: 'text/html; charset=utf-8' },
        { Key: 'config.json', CacheControl: REVALIDATE, ContentType: 'application/json; charset=utf-8' },
        { Key: 'index.html', CacheControl: REVALIDATE, ContentType: 'text/html; charset=utf-8' },
      ]),
    );
    expect(IMMUTABLE).toBe('public, max-age=31536000, immutable');
    expect(REVALIDATE).toBe('no-cache');
    // The files as built, byte for byte.
    expect(Buffer.from(putOf('index.html')?.Body as Uint8Array).toString()).toBe(BUILT['index.html']);
    expect(Buffer.from(putOf('assets/main-EF56GH78.css')?.Body as Uint8Array).toString()).toBe(
      BUILT['assets/main-EF56GH78.css'],
    );
    // The not-found page runs nothing and has no inline style: the CSP allows neither.
    expect(putOf('404.html')?.Body).toBe(NOT_FOUND_PAGE);
    expect(NOT_FOUND_PAGE).not.toMatch(/<script|<style|\sstyle=|\son\w+=/i);
  });

  test('config.json is the API, the hosted UI and the console client, from the outputs, as the console reads it', async () => {
    await deployConsole({ stack: STACK, region: REGION, build: fakeBuild() });

    const written: unknown = JSON.parse(putOf('config.json')?.Body as string);
    // Nothing the console would drop (it once carried the user pool's id, which the console never read).
    expect(parseConfig(written)).toEqual(written);
    expect(written).toEqual({
      apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev',
      auth: {
        authority: 'https://tickets-dev-51af3dc0.auth.eu-west-1.amazoncognito.com',
        clientId: '5consoleclientidexample00',
        scopes: ['openid', 'email'],
      },
    });
  });

  test('a trailing slash on the API endpoint is dropped: the console appends its paths', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [deployedStack({ ...OUTPUTS, ApiEndpoint: `${OUTPUTS.ApiEndpoint}/` })] });
    await deployConsole({ stack: STACK, region: REGION, build: fakeBuild() });
    expect((JSON.parse(putOf('config.json')?.Body as string) as { apiUrl: string }).apiUrl).toBe(OUTPUTS.ApiEndpoint);
  });

  test("a not-found page of the build's own is uploaded as built, beside index.html", async () => {
    await deployConsole({
      stack: STACK,
      region: REGION,
      build: fakeBuild({ ...BUILT, '404.html': '<!doctype html><h1>Lost</h1>' }),
    });
    expect(puts().filter((input) => input.Key === '404.html')).toHaveLength(1);
    expect(Buffer.from(putOf('404.html')?.Body as Uint8Array).toString()).toBe('<!doctype html><h1>Lost</h1>');
    expect(puts().at(-1)?.Key).toBe('index.html');
  });

  test('invalidates index.html, config.json and the root on the stack distribution, after every upload', async () => {
    const order: string[] = [];
    s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
      order.push(`put ${input.Key ?? ''}`);
      return {};
    });
    cloudFront.on(CreateInvalidationCommand).callsFake(() => {
      order.push('invalidate');
      return { Invalidation: INVALIDATION };
    });
    const deployed = await deployConsole({ stack: STACK, region: REGION, build: fakeBuild() });

    const invalidations = cloudFront.commandCalls(CreateInvalidationCommand);
    expect(invalidations).toHaveLength(1);
    const input = invalidations[0]!.args[0].input;
    expect(input.DistributionId).toBe(OUTPUTS.ConsoleDistributionId);
    expect(input.InvalidationBatch?.Paths).toEqual({ Quantity: 3, Items: ['/index.html', '/config.json', '/'] });
    // Unique per run: CloudFront takes a repeated reference for the earlier invalidation.
    expect(input.InvalidationBatch?.CallerReference).toMatch(/^deploy-console-[0-9a-f-]{36}$/);
    expect(deployed.invalidationId).toBe('I2J0I21PCUYOIK');
    expect(order.slice(-2)).toEqual(['put index.html', 'invalidate']);
    expect(order.filter((step) => step === 'invalidate')).toHaveLength(1);
  });

  test('a missing output is named, and nothing is built, uploaded or invalidated', async () => {
    const older = without(OUTPUTS, ['ConsoleDistributionId', 'ConsoleAuthDomain']);
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [deployedStack(older)] });
    let built = false;
    const build: BuildConsole = () => {
      built = true;
      return Promise.resolve();
    };

    await expect(deployConsole({ stack: STACK, region: REGION, build })).rejects.toThrow(
      `Stack ${STACK} has no output ConsoleDistributionId, ConsoleAuthDomain: deploy this version of template.yaml to it first.`,
    );
    expect(built).toBe(false);
    expect(s3.calls()).toHaveLength(0);
    expect(cloudFront.calls()).toHaveLength(0);
  });

  test('an unknown stack is named with its region and how to name another', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Stack with id nope does not exist'), { name: 'ValidationError' }));
    await expect(deployConsole({ stack: 'nope', region: REGION, build: fakeBuild() })).rejects.toThrow(
      'Stack nope does not exist in eu-west-1: pass --stack (or --config-env) and set AWS_REGION to name the deployed stack.',
    );
  });

  test('a build without index.html uploads nothing', async () => {
    const assetsOnly = without(BUILT, ['index.html']);
    await expect(deployConsole({ stack: STACK, region: REGION, build: fakeBuild(assetsOnly) })).rejects.toThrow(
      /The console's build wrote no index\.html/,
    );
    expect(s3.calls()).toHaveLength(0);
  });

  test('a refused upload stops before index.html and the invalidation, and says what failed', async () => {
    s3.on(PutObjectCommand, { Key: 'config.json' }).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }),
    );
    await expect(deployConsole({ stack: STACK, region: REGION, build: fakeBuild() })).rejects.toThrow(
      `PutObject s3://${OUTPUTS.ConsoleBucketName}/config.json failed: AccessDenied: Access Denied`,
    );
    expect(puts().map((input) => input.Key)).not.toContain('index.html');
    expect(cloudFront.calls()).toHaveLength(0);
  });

  test.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/app-1.js', 'text/javascript; charset=utf-8'],
    ['assets/app-1.CSS', 'text/css; charset=utf-8'],
    ['assets/font.woff2', 'font/woff2'],
    ['assets/logo.svg', 'image/svg+xml'],
    ['assets/unknown.bin', 'application/octet-stream'],
  ])('%s is sent as %s', (path, type) => {
    expect(contentTypeOf(path)).toBe(type);
  });
});

describe("the stack samconfig.toml's environment deploys", () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'samconfig-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });
  const samconfig = (text: string) => {
    const path = join(folder, 'samconfig.toml');
    writeFileSync(path, text);
    return path;
  };

  test("is the repository's: the default environment deploys dev, --config-env prod deploys prod", () => {
    expect(samconfigDeployTarget('default')).toEqual({ stack: 'aws-support-system-dev' });
    expect(samconfigDeployTarget('prod')).toEqual({ stack: 'aws-support-system-prod' });
  });

  test("the deploy section's stack and region win over the global section's", () => {
    const path = samconfig(
      [
        'version = 0.1',
        '[staging.global.parameters]',
        'stack_name = "global-name"',
        'region = "eu-west-1"',
        '[staging.deploy.parameters]',
        'stack_name = "deploy-name"',
      ].join('\n'),
    );
    expect(samconfigDeployTarget('staging', path)).toEqual({ stack: 'deploy-name', region: 'eu-west-1' });
  });

  test('an environment that names no stack says to pass --stack', () => {
    const path = samconfig('version = 0.1\n[default.deploy.parameters]\nresolve_s3 = true\n');
    expect(() => samconfigDeployTarget('default', path)).toThrow(
      /samconfig\.toml names no stack for the environment "default".*pass --stack or another --config-env/,
    );
    expect(() => samconfigDeployTarget('nowhere', path)).toThrow(/names no stack for the environment "nowhere"/);
    expect(existsSync(path)).toBe(true);
  });
});
