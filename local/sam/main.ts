/**
 * Starts what `sam local start-api` and `sam local invoke` need and writes
 * their --env-vars file; runs until Ctrl-C.
 *
 *   npm run local:services
 *
 * LOCAL_SERVICES_HOST   the address to listen on (127.0.0.1; 0.0.0.0 exposes the services to the network)
 * SAM_ENDPOINT_HOST     how the functions reach this machine from their containers (host.docker.internal;
 *                       127.0.0.1 with `sam local … --docker-network host` on Linux)
 * DYNAMODB_PORT, COMPREHEND_PORT, EVENTBRIDGE_PORT, SECRETS_MANAGER_PORT, LOCAL_STATE_DIR, SAM_ENV_FILE
 */
import { relative } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/sam-template.js';
import { listingLine, LOCAL_SERVICES, LOCAL_SYSTEM_PORTS, perService } from '../system/parts.js';
import { DOCKER_HOST_NAME, LOOPBACK, startLocalServices } from './local-services.js';

function setting(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value === '' ? undefined : value;
}

function port(name: string): number | undefined {
  const text = setting(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) throw new Error(`${name} must be a port number (0–65535), got '${text}'.`);
  return value;
}

async function main(): Promise<number> {
  const host = setting('LOCAL_SERVICES_HOST') ?? LOOPBACK;
  if (host !== LOOPBACK && host !== 'localhost') {
    console.warn(
      `WARNING: LOCAL_SERVICES_HOST=${host}: DynamoDB Local (your local tickets) and the stand-ins answer anyone ` +
        'who can reach this address, without authentication. Use it on a trusted network only, or prefer ' +
        '`--docker-network host` on Linux with the default 127.0.0.1.',
    );
  }
  const services = await startLocalServices({
    host,
    endpointHost: setting('SAM_ENDPOINT_HOST') ?? DOCKER_HOST_NAME,
    ports: perService((service) => port(LOCAL_SYSTEM_PORTS[service].setting)),
    stateDir: setting('LOCAL_STATE_DIR'),
    envFile: setting('SAM_ENV_FILE'),
    onEventLine: (line) => {
      console.log(line);
    },
  });
  const envFile = relative(PROJECT_ROOT, services.envFile);
  for (const service of LOCAL_SERVICES) {
    const table = service === 'dynamoDb' ? ` (table ${services.tableName})` : '';
    console.log(listingLine(service, `${services.endpoints[service]}${table}`));
  }
  console.log(`Functions reach them at ${services.containerEndpoints.dynamoDb} and so on; env vars in ${envFile}`);
  for (const [functionId, names] of Object.entries(services.undeclared)) {
    console.warn(
      `WARNING: template.yaml declares no ${names.join(', ')} for ${functionId}: SAM CLI will not set them.`,
    );
  }
  // DynamoDB Local keeps one database per access key and region: the functions must use the local ones.
  console.log(
    `\n  sam build && AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local sam local start-api --region us-east-1 --env-vars ${envFile}\n\nCtrl-C stops the services.`,
  );

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await services.stop();
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`local:services could not start: ${(error as Error).message}`);
  process.exitCode = 1;
}
