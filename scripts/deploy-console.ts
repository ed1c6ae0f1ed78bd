/**
 * Builds the agent console and publishes it to a deployed stack, after `sam deploy`.
 *
 *   npm run deploy:console [-- --config-env <samconfig environment>] [--stack <name>] [--region <region>]
 *
 * The stack is --stack, else the one samconfig.toml's environment deploys
 * (--config-env, default `default`, as `sam deploy`). From its outputs it
 * builds the console into a fresh folder and writes, in this order:
 *
 * 1. `assets/*`: named by their content, cached for a year (immutable). Older
 *    ones stay, so a tab still holding the previous index.html keeps working.
 * 2. `404.html`, the page CloudFront answers for a missing file, and any other
 *    file the build puts beside index.html, revalidated on every request.
 * 3. `config.json`: the console's runtime configuration (the API, the hosted
 *    UI and its app client), revalidated on every request.
 * 4. `index.html` last, so it never names an asset not yet uploaded.
 *
 * Then it invalidates /index.html, /config.json and / at CloudFront and prints
 * the console's address (the ConsoleUrl output).
 */
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ConsoleConfig } from '../web/src/config.js';
import { buildConsole } from './build-console.js';
import { contentTypeOf, IMMUTABLE, REVALIDATE } from './console-files.js';
import { CommandError, describeDeployedStack, explained, outputsOf, samconfigDeployTarget } from './deployed-stack.js';

/** The stack outputs the console is published from (template.yaml). */
export const CONSOLE_OUTPUTS = [
  'ApiEndpoint',
  'ConsoleUrl',
  'ConsoleBucketName',
  'ConsoleDistributionId',
  'ConsoleAuthDomain',
  'ConsoleUserPoolClientId',
] as const;
export type ConsoleOutputs = Record<(typeof CONSOLE_OUTPUTS)[number], string>;

/** The scopes the console asks the hosted UI for: the console client's AllowedOAuthScopes. */
export const CONSOLE_SCOPES = ['openid', 'email'];

/** `/config.json`, which the console reads before it renders. */
export function consoleConfig(outputs: ConsoleOutputs): ConsoleConfig {
  return {
    // The console appends paths (/tickets) to it.
    apiUrl: outputs.ApiEndpoint.replace(/\/+$/, ''),
    auth: {
      authority: outputs.ConsoleAuthDomain.replace(/\/+$/, ''),
      clientId: outputs.ConsoleUserPoolClientId,
      scopes: CONSOLE_SCOPES,
    },
  };
}

/** What CloudFront must fetch again after a deploy: the files that keep their names. */
export const INVALIDATED_PATHS = ['/index.html', '/config.json', '/'];

/**
 * The page CloudFront answers for a file that does not exist (the
 * distribution's CustomErrorResponses), unless the build writes its own: no
 * script and no inline style, as the CSP allows neither.
 */
export const NOT_FOUND_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Not found</title></head>
<body><main><h1>Not found</h1><p>Nothing is here. <a href="/">Open the agent console</a>.</p></main></body>
</html>
`;

/** Builds the console into `outDir` (index.html and assets/*): scripts/build-console.ts's buildConsole. */
export type BuildConsole = (outDir: string) => Promise<unknown>;

export interface DeployConsoleOptions {
  stack: string;
  region?: string;
  build: BuildConsole;
  log?: (line: string) => void;
}

export interface DeployedConsole {
  consoleUrl: string;
  /** The keys written, in the order they were written. */
  uploaded: string[];
  invalidationId: string | undefined;
}

/** How many assets are uploaded at once. */
const PARALLEL_UPLOADS = 4;

export async function deployConsole(options: DeployConsoleOptions): Promise<DeployedConsole> {
  const log = options.log ?? (() => undefined);
  const { region, stack } = await describeDeployedStack(
    options.stack,
    options.region,
    'pass --stack (or --config-env) and set AWS_REGION to name the deployed stack',
  );
  const outputs = outputsOf(stack, CONSOLE_OUTPUTS);
  const config = consoleConfig(outputs);

  const outDir = mkdtempSync(join(tmpdir(), 'console-'));
  try {
    log(`Building the console into ${outDir}`);
    await options.build(outDir);
    if (!existsSync(join(outDir, 'index.html'))) {
      throw new CommandError(`The console's build wrote no index.html into ${outDir}.`);
    }
    const files = filesUnder(outDir);
    const assets = files.filter((file) => file.startsWith('assets/'));
    const beside = files.filter((file) => !file.startsWith('assets/') && file !== 'index.html');

    const s3 = new S3Client({ region });
    const bucket = outputs.ConsoleBucketName;
    const uploaded: string[] = [];
    const put = async (key: string, body: Buffer | string, cacheControl: string) => {
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: contentTypeOf(key),
            CacheControl: cacheControl,
          }),
        );
      } catch (error) {
        throw explained(`PutObject s3://${bucket}/${key}`, error);
      }
      uploaded.push(key);
    };

    log(`Uploading ${String(assets.length)} assets to s3://${bucket}`);
    for (let start = 0; start < assets.length; start += PARALLEL_UPLOADS) {
      await Promise.all(
        assets
          .slice(start, start + PARALLEL_UPLOADS)
          .map((key) => put(key, readFileSync(join(outDir, key)), IMMUTABLE)),
      );
    }
    if (!beside.includes('404.html')) await put('404.html', NOT_FOUND_PAGE, REVALIDATE);
    for (const key of beside) await put(key, readFileSync(join(outDir, key)), REVALIDATE);
    await put('config.json', `${JSON.stringify(config, null, 2)}\n`, REVALIDATE);
    await put('index.html', readFileSync(join(outDir, 'index.html')), REVALIDATE);

    const distribution = outputs.ConsoleDistributionId;
    let invalidationId: string | undefined;
    try {
      const answer = await new CloudFrontClient({ region }).send(
        new CreateInvalidationCommand({
          DistributionId: distribution,
          InvalidationBatch: {
            CallerReference: `deploy-console-${randomUUID()}`,
            Paths: { Quantity: INVALIDATED_PATHS.length, Items: INVALIDATED_PATHS },
          },
        }),
      );
      invalidationId = answer.Invalidation?.Id;
    } catch (error) {
      throw explained(`CreateInvalidation on ${distribution}`, error);
    }
    log(`Invalidated ${INVALIDATED_PATHS.join(' ')} on ${distribution} (${invalidationId ?? 'no id'})`);
    return { consoleUrl: outputs.ConsoleUrl, uploaded, invalidationId };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Every file under `dir`, as keys: relative, with forward slashes. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'config-env': { type: 'string', default: 'default' },
      stack: { type: 'string' },
      region: { type: 'string' },
    },
  });
  const target = values.stack ? { stack: values.stack } : samconfigDeployTarget(values['config-env']);
  const log = (line: string) => {
    console.error(line);
  };
  const { consoleUrl } = await deployConsole({
    stack: target.stack,
    region: values.region ?? target.region,
    build: (outDir) => buildConsole({ outDir }),
    log,
  });
  console.log(`Agent console: ${consoleUrl}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`deploy:console: ${error instanceof CommandError ? error.message : String(error)}`);
    if (!(error instanceof CommandError)) console.error(error);
    process.exitCode = 1;
  });
}
