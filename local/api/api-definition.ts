import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { onlyResourceOfType, resourcesOfType } from '../../scripts/cloudformation-template.js';
import { NO_VALUE, resolveString, resolveValue, UnresolvableValueError, type LocalStack } from './intrinsics.js';

/*
 * What the local API serves, read from template.yaml's AWS::Serverless::Api
 * and the `Api` events of its functions, with intrinsic functions resolved to
 * local values. Nothing here is configured twice: a route (the CORS preflight's
 * OPTIONS routes too) or a gateway response changed in the template changes
 * the local API with it.
 */

export interface ApiRoute {
  /** Upper case, as API Gateway puts it in `httpMethod`. */
  method: string;
  /** The resource path with `{param}` placeholders, e.g. `/tickets/{id}`. */
  resourcePath: string;
  functionId: string;
  /** Whether a valid token is required (the route's or the API's default Cognito authorizer applies). */
  authorized: boolean;
  /** Where the authorizer reads the token from. */
  identityHeader: string;
}

/** A gateway response header: a static value, or the value of a request header (`method.request.header.<name>`). */
export type GatewayHeaderValue = string | { fromRequestHeader: string };

export interface GatewayResponseDefinition {
  statusCode?: number;
  headers: Record<string, GatewayHeaderValue>;
  /** The `application/json` response template (a VTL template; only `$context` variables are used). */
  template?: string;
}

export interface StageThrottling {
  rateLimit: number;
  burstLimit: number;
}

export interface ApiDefinition {
  logicalId: string;
  stageName: string;
  routes: ApiRoute[];
  gatewayResponses: Record<string, GatewayResponseDefinition>;
  throttling: StageThrottling | null;
  /** Bodies at least this large are gzip-compressed for clients that accept it. */
  minimumCompressionSize: number | null;
}

type Properties = Record<string, unknown>;

export function readApiDefinition(stack: LocalStack): ApiDefinition {
  const { template } = stack;
  // The local API serves exactly one.
  const [logicalId, resource] = onlyResourceOfType(template, 'AWS::Serverless::Api');
  const properties: Properties = { ...template.Globals?.Api, ...resource.Properties };
  const auth = (properties.Auth ?? {}) as Properties;
  const defaultAuthorizer = typeof auth.DefaultAuthorizer === 'string' ? auth.DefaultAuthorizer : null;

  return {
    logicalId,
    stageName: resolveString(properties.StageName, stack, `${logicalId}.StageName`),
    routes: readRoutes(stack, logicalId, auth, defaultAuthorizer),
    gatewayResponses: readGatewayResponses(properties.GatewayResponses, stack),
    throttling: readStageThrottling(properties.MethodSettings, stack),
    minimumCompressionSize:
      properties.MinimumCompressionSize === undefined
        ? null
        : Number(resolveValue(properties.MinimumCompressionSize, stack)),
  };
}

function readRoutes(stack: LocalStack, apiId: string, auth: Properties, defaultAuthorizer: string | null): ApiRoute[] {
  const authorizers = (auth.Authorizers ?? {}) as Record<string, Properties>;
  const routes: ApiRoute[] = [];
  for (const [functionId, resource] of resourcesOfType(stack.template, 'AWS::Serverless::Function')) {
    const events = (resource.Properties?.Events ?? {}) as Record<string, { Type?: string; Properties?: Properties }>;
    for (const [eventName, event] of Object.entries(events)) {
      if (event.Type !== 'Api') continue;
      const eventProperties = event.Properties ?? {};
      const restApiId = eventProperties.RestApiId as { Ref?: string } | undefined;
      if (restApiId?.Ref !== apiId) {
        throw new Error(`${functionId}.${eventName}: only events with RestApiId: !Ref ${apiId} are served locally.`);
      }
      const eventAuth = (eventProperties.Auth ?? {}) as Properties;
      const authorizerName = (eventAuth.Authorizer as string | undefined) ?? defaultAuthorizer;
      const authorized = authorizerName !== null && authorizerName !== 'NONE';
      routes.push({
        method: String(eventProperties.Method).toUpperCase(),
        resourcePath: String(eventProperties.Path),
        functionId,
        authorized,
        identityHeader: authorized ? identityHeaderOf(authorizers, authorizerName) : 'Authorization',
      });
    }
  }
  return routes;
}

/** Only Cognito user pool authorizers are emulated: they are what the local JWTs stand in for. */
function identityHeaderOf(authorizers: Record<string, Properties>, name: string): string {
  const authorizer = authorizers[name];
  if (!authorizer?.UserPoolArn) {
    throw new Error(`Authorizer ${name} is not a Cognito user pool authorizer; the local API cannot emulate it.`);
  }
  const identity = (authorizer.Identity ?? {}) as Properties;
  return typeof identity.Header === 'string' ? identity.Header : 'Authorization';
}

function readGatewayResponses(responses: unknown, stack: LocalStack): Record<string, GatewayResponseDefinition> {
  const resolved = (resolveValue(responses ?? {}, stack) ?? {}) as Record<string, Properties>;
  return Object.fromEntries(
    Object.entries(resolved).map(([type, response]) => {
      const parameters = (response.ResponseParameters ?? {}) as Properties;
      const headers = Object.fromEntries(
        Object.entries((parameters.Headers ?? {}) as Record<string, unknown>).map(([name, value]) => [
          name,
          headerMapping(value, `GatewayResponses.${type}.${name}`),
        ]),
      );
      const templates = (response.ResponseTemplates ?? {}) as Record<string, string>;
      return [
        type,
        {
          statusCode: response.StatusCode === undefined ? undefined : Number(response.StatusCode),
          headers,
          template: templates['application/json'],
        },
      ];
    }),
  );
}

/** The stage-wide limit (`ResourcePath: /*`, `HttpMethod: '*'`), as API Gateway applies it. */
function readStageThrottling(methodSettings: unknown, stack: LocalStack): StageThrottling | null {
  const settings = (resolveValue(methodSettings ?? [], stack) ?? []) as Properties[];
  const stageWide = settings.find((setting) => setting.ResourcePath === '/*' && setting.HttpMethod === '*');
  if (stageWide?.ThrottlingRateLimit === undefined || stageWide.ThrottlingBurstLimit === undefined) return null;
  return { rateLimit: Number(stageWide.ThrottlingRateLimit), burstLimit: Number(stageWide.ThrottlingBurstLimit) };
}

/**
 * API Gateway header mappings are expressions: a static value is quoted
 * (`"'application/json'"`), `method.request.header.<name>` copies a request
 * header. Other sources (path, query string, stage variables) are not emulated.
 */
function headerMapping(value: unknown, where: string): GatewayHeaderValue {
  if (typeof value === 'string') {
    const unquoted = /^'(.*)'$/s.exec(value)?.[1];
    if (unquoted !== undefined) return unquoted;
    const requestHeader = /^method\.request\.header\.([!#$%&'*+.^\w`|~-]+)$/.exec(value)?.[1];
    if (requestHeader !== undefined) return { fromRequestHeader: requestHeader };
  }
  throw new UnresolvableValueError(
    `${where}: only static (quoted) values and method.request.header.<name> are supported, got ${JSON.stringify(value)}.`,
  );
}

// ---------------------------------------------------------------------------
// Functions

export interface FunctionDefinition {
  logicalId: string;
  /** The built artefact's folder, .aws-sam/build/<LogicalId>: Lambda's /var/task. */
  codeDir: string;
  handlerFile: string;
  handlerExport: string;
  timeoutSeconds: number;
  memorySize: number;
  /** Globals and the function's own variables, intrinsics resolved to local values. */
  environment: Record<string, string>;
}

/** Lambda's Node.js runtime tries these, in this order, for `Handler: file.export`. */
const HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs'];

export function readFunctionDefinitions(stack: LocalStack, buildDir: string): FunctionDefinition[] {
  const globals = (stack.template.Globals?.Function ?? {}) as Properties;
  return resourcesOfType(stack.template, 'AWS::Serverless::Function').map(([logicalId, resource]) => {
    const properties: Properties = { ...globals, ...resource.Properties };
    const handler = String(properties.Handler);
    const dot = handler.lastIndexOf('.');
    const codeDir = join(buildDir, logicalId);
    const variables = {
      ...((globals.Environment as Properties | undefined)?.Variables as Properties | undefined),
      ...((resource.Properties?.Environment as Properties | undefined)?.Variables as Properties | undefined),
    };
    const environment: Record<string, string> = {};
    for (const [name, value] of Object.entries(variables)) {
      const resolved = resolveValue(value, stack);
      if (resolved === NO_VALUE) continue;
      environment[name] = resolveString(resolved, stack, `${logicalId} environment variable ${name}`);
    }
    return {
      logicalId,
      codeDir,
      handlerFile: handlerFileIn(codeDir, handler.slice(0, dot), logicalId),
      handlerExport: handler.slice(dot + 1),
      timeoutSeconds: Number(resolveValue(properties.Timeout ?? 3, stack)),
      memorySize: Number(resolveValue(properties.MemorySize ?? 128, stack)),
      environment,
    };
  });
}

function handlerFileIn(codeDir: string, module: string, logicalId: string): string {
  for (const extension of HANDLER_EXTENSIONS) {
    const file = join(codeDir, module + extension);
    if (existsSync(file)) return file;
  }
  throw new Error(
    `${logicalId}: no built handler ${module}{${HANDLER_EXTENSIONS.join(',')}} in ${codeDir}; run npm run build.`,
  );
}
