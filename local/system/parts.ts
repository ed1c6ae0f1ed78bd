/*
 * The parts of the local system, each on its own port: the local API, the
 * agent console (on its own origin, as CloudFront serves it in AWS), and the
 * AWS services the functions call, each served on this machine. What
 * lists them (the ports checked before a start, the settings of `npm start`
 * and `npm run local:services`, the endpoints the functions are given) is
 * derived from these: a new service is its entry in LOCAL_SYSTEM_PORTS (the
 * compiler then asks for its endpoint variable) plus the code that starts it.
 */

/** Every port the local system listens on: what listens there, the variable that moves it, its default. */
export const LOCAL_SYSTEM_PORTS = {
  api: { name: 'local API', setting: 'PORT', defaultPort: 3000 },
  console: { name: 'Agent console', setting: 'CONSOLE_PORT', defaultPort: 3001 },
  dynamoDb: { name: 'DynamoDB Local', setting: 'DYNAMODB_PORT', defaultPort: 8000 },
  comprehend: { name: 'Comprehend stand-in', setting: 'COMPREHEND_PORT', defaultPort: 4620 },
  eventBridge: { name: 'EventBridge stand-in', setting: 'EVENTBRIDGE_PORT', defaultPort: 4621 },
  secretsManager: { name: 'Secrets Manager stand-in', setting: 'SECRETS_MANAGER_PORT', defaultPort: 4622 },
} as const;

export type LocalPart = keyof typeof LOCAL_SYSTEM_PORTS;
export const LOCAL_PARTS = Object.keys(LOCAL_SYSTEM_PORTS) as LocalPart[];

/** A port per part, as options name them: `apiPort`, `dynamoDbPort`… */
export type PortOptions = { [Part in LocalPart as `${Part}Port`]?: number };

/** The option that gives a part's port. */
export function portOption(part: LocalPart): keyof PortOptions {
  return `${part}Port`;
}

/** The parts that are not AWS services the functions call. */
const NOT_SERVICES: ReadonlySet<LocalPart> = new Set(['api', 'console']);

/** The AWS services the functions call: every part but the API and the console. */
export type LocalService = Exclude<LocalPart, 'api' | 'console'>;
export const LOCAL_SERVICES = LOCAL_PARTS.filter((part): part is LocalService => !NOT_SERVICES.has(part));

/** Where the functions reach each service (a base URL). */
export type ServiceEndpoints = Record<LocalService, string>;

/** The SDK's variable that points a client at a service's endpoint. */
const ENDPOINT_VARIABLES: Record<LocalService, string> = {
  dynamoDb: 'AWS_ENDPOINT_URL_DYNAMODB',
  comprehend: 'AWS_ENDPOINT_URL_COMPREHEND',
  eventBridge: 'AWS_ENDPOINT_URL_EVENTBRIDGE',
  secretsManager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
};

/** The AWS_ENDPOINT_URL_* variables that send the functions' SDK clients to `endpoints`. */
export function endpointVariables(endpoints: ServiceEndpoints): Record<string, string> {
  return Object.fromEntries(LOCAL_SERVICES.map((service) => [ENDPOINT_VARIABLES[service], endpoints[service]]));
}

/** One value per service, each from `valueOf`. */
export function perService<Value>(valueOf: (service: LocalService) => Value): Record<LocalService, Value> {
  return Object.fromEntries(LOCAL_SERVICES.map((service) => [service, valueOf(service)])) as Record<
    LocalService,
    Value
  >;
}

const NAME_WIDTH = Math.max(...LOCAL_PARTS.map((part) => LOCAL_SYSTEM_PORTS[part].name.length)) + 2;

/** A line of the listing of what serves where: the part's name, then `text`, in a column. */
export function listingLine(part: LocalPart, text: string): string {
  return `${LOCAL_SYSTEM_PORTS[part].name.padEnd(NAME_WIDTH)}${text}`;
}
