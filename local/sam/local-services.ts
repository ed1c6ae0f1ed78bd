import { join } from 'node:path';
import { PROJECT_ROOT, resourcesOfType, TEMPLATE_PATH } from '../../scripts/sam-template.js';
import { resolveValue, type LocalStack } from '../api/intrinsics.js';
import { startComprehendStandIn } from '../comprehend/comprehend-stand-in.js';
import { DYNAMODB_LOCAL_REGION, dynamoDbLocalClient, startDynamoDbLocal } from '../dynamodb/dynamodb-local.js';
import { ensureTable, readTableDefinition } from '../dynamodb/table-from-template.js';
import { eventLine } from '../eventbridge/event-line.js';
import { startEventBridgeStandIn } from '../eventbridge/eventbridge-stand-in.js';
import { startSecretsManagerStandIn } from '../secretsmanager/secrets-manager-stand-in.js';
import { generatedSecretFiles, LOCAL_ACCOUNT_ID, localStack } from '../system/local-stack.js';
import {
  LOCAL_SERVICES,
  LOCAL_SYSTEM_PORTS,
  perService,
  type LocalService,
  type ServiceEndpoints,
} from '../system/parts.js';
import { eventsFileOf } from '../system/system.js';
import { DEFAULT_STATE_DIR, loadOrCreateSigningKey } from '../token/signing-key.js';
import { localPublicKeyPem, samEnvironment, undeclaredVariables, writeSamEnvFile } from './sam-env.js';
import { startTcpForwarder } from './tcp-forwarder.js';

/*
 * The services `sam local start-api` and `sam local invoke` need, for
 * functions running in SAM's Docker containers: DynamoDB Local with the
 * template's table, the Comprehend, EventBridge and Secrets Manager
 * stand-ins, and an --env-vars file pointing the functions at them. The same parts as
 * `npm start`, with the same data under the state directory; no local API and
 * no stream poller (SAM CLI runs neither event source mappings nor authorizers).
 */

export const LOOPBACK = '127.0.0.1';
/** How a container reaches the host on Docker Desktop (and on Linux with host-gateway). */
export const DOCKER_HOST_NAME = 'host.docker.internal';

export interface LocalServicesOptions {
  /** The address the services are reachable on; 127.0.0.1 by default. Any other is served by forwarders. */
  host?: string;
  /** The host name the functions use to reach the services from their containers. */
  endpointHost?: string;
  /** 0 picks a free port; `npm start`'s defaults otherwise. */
  ports?: Partial<Record<LocalService, number>>;
  /** Data, keys and secrets; `.local/` by default, shared with `npm start`. */
  stateDir?: string;
  /** Where the --env-vars file is written; `<stateDir>/sam-env.json` by default. */
  envFile?: string;
  javaHome?: string;
  /** Each event the functions publish, one line; nothing when omitted. */
  onEventLine?: (line: string) => void;
}

export interface LocalServices {
  /** Where this machine reaches each service. */
  endpoints: ServiceEndpoints;
  /** Where the functions in SAM's containers reach each service, as the --env-vars file says. */
  containerEndpoints: ServiceEndpoints;
  envFile: string;
  tableName: string;
  /** Per function, variables of the file the template does not declare, which SAM CLI would drop. */
  undeclared: Record<string, string[]>;
  stop(): Promise<void>;
}

function eventBusNames(stack: LocalStack): string[] {
  return resourcesOfType(stack.template, 'AWS::Events::EventBus').map(([logicalId]) =>
    String(resolveValue({ Ref: logicalId }, stack)),
  );
}

export async function startLocalServices(options: LocalServicesOptions = {}): Promise<LocalServices> {
  const host = options.host ?? LOOPBACK;
  const forwarded = host !== LOOPBACK && host !== 'localhost';
  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  const stack = localStack({ region: DYNAMODB_LOCAL_REGION, stateDir });
  const table = readTableDefinition(TEMPLATE_PATH);
  const tableName = String(resolveValue({ Ref: table.logicalId }, stack));
  const wanted = perService((service) => options.ports?.[service] ?? LOCAL_SYSTEM_PORTS[service].defaultPort);
  // Forwarded, the services take free loopback ports and the forwarders the wanted ones.
  const servicePort = (port: number) => (forwarded ? 0 : port);

  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.splice(0).reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const dynamoDb = await startDynamoDbLocal({
      port: servicePort(wanted.dynamoDb),
      dbPath: join(stateDir, 'dynamodb'),
      projectRoot: PROJECT_ROOT,
      javaHome: options.javaHome,
    });
    stoppers.push(() => dynamoDb.stop());
    const client = dynamoDbLocalClient(dynamoDb.endpoint);
    try {
      await ensureTable(client, tableName, table);
    } finally {
      client.destroy();
    }
    const comprehend = await startComprehendStandIn({ port: servicePort(wanted.comprehend) });
    stoppers.push(() => comprehend.stop());
    const { onEventLine } = options;
    const eventBridge = await startEventBridgeStandIn({
      port: servicePort(wanted.eventBridge),
      eventsFile: eventsFileOf(stateDir),
      eventBuses: eventBusNames(stack),
      region: DYNAMODB_LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      onEvent: onEventLine
        ? (event) => {
            onEventLine(eventLine(event));
          }
        : undefined,
    });
    stoppers.push(() => eventBridge.stop());
    const secretsManager = await startSecretsManagerStandIn({
      port: servicePort(wanted.secretsManager),
      secretFiles: generatedSecretFiles(stateDir, stack.template),
      region: DYNAMODB_LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
    });
    stoppers.push(() => secretsManager.stop());

    const publicPorts: Record<LocalService, number> = {
      dynamoDb: dynamoDb.port,
      comprehend: comprehend.port,
      eventBridge: eventBridge.port,
      secretsManager: secretsManager.port,
    };
    if (forwarded) {
      for (const service of LOCAL_SERVICES) {
        const forwarder = await startTcpForwarder({ host, port: wanted[service], to: publicPorts[service] });
        stoppers.push(() => forwarder.stop());
        publicPorts[service] = forwarder.port;
      }
    }
    const at = (hostName: string): ServiceEndpoints =>
      perService((service) => `http://${hostName}:${publicPorts[service]}`);
    const containerEndpoints = at(options.endpointHost ?? DOCKER_HOST_NAME);
    const key = await loadOrCreateSigningKey(stateDir);
    const environment = samEnvironment(stack, containerEndpoints, localPublicKeyPem(key));
    const envFile = options.envFile ?? join(stateDir, 'sam-env.json');
    writeSamEnvFile(envFile, environment);
    return {
      endpoints: at(LOOPBACK),
      containerEndpoints,
      envFile,
      tableName,
      undeclared: undeclaredVariables(stack, environment),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
