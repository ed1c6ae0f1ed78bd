import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { ApiRequest, ApiResponse } from './api-types.js';

/**
 * Checks a response against the API's OpenAPI document (openapi.json, see
 * scripts/openapi.ts): its status code is one the operation documents, its
 * body matches the schema documented for that status and content type, and
 * the headers documented as required are there and well-formed. The e2e API
 * client calls `checkResponse` for every response, so the document cannot
 * drift from what the API answers.
 *
 * A request the document does not describe must be refused (API Gateway
 * answers an unknown route 404) with a problem; a CORS preflight (OPTIONS on
 * a documented path, the preflight function's) is outside the document; a request
 * for the document itself must get the committed document.
 */

interface MediaType {
  schema?: object;
}

interface Header {
  required?: boolean;
  schema?: object;
}

interface Response {
  description: string;
  headers?: Record<string, Header>;
  content?: Record<string, MediaType>;
}

interface Operation {
  operationId: string;
  responses: Record<string, Response>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

export type ResponseCheck = (request: ApiRequest, response: ApiResponse) => void;

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

const DOCUMENT_PATH = new URL('../../../openapi.json', import.meta.url);
const SERVED_DOCUMENT_PATH = '/openapi.json';

/** Component schemas become `$defs` of one schema resource, so ajv resolves their `$ref`s. */
const COMPONENTS_ID = 'https://contract-check/openapi.json';
const COMPONENT_REF = /"#\/components\/schemas\//g;
const refsToComponents = <T>(schema: T): T =>
  JSON.parse(JSON.stringify(schema).replace(COMPONENT_REF, `"${COMPONENTS_ID}#/$defs/`)) as T;
/** Says where a failing keyword is in the document's own terms. */
const inDocumentTerms = (schemaPath: string) => schemaPath.replace(`${COMPONENTS_ID}#/$defs/`, '#/components/schemas/');

/** The formats the document uses; ajv leaves formats to a plug-in, and these are all it needs. */
const FORMATS: Record<string, (value: string) => boolean> = {
  'date-time': (value) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value) && !Number.isNaN(Date.parse(value)),
  email: (value) => /^[^\s@]+@[^\s@]+$/.test(value),
  uri: (value) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(value),
  'uri-reference': (value) => /^\S*$/.test(value),
};

function newAjv(options: { coerceTypes: boolean }): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, ...options });
  for (const [name, validate] of Object.entries(FORMATS)) ajv.addFormat(name, validate);
  return ajv;
}

export function contractChecker(document: OpenApiDocument): ResponseCheck {
  const bodies = newAjv({ coerceTypes: false });
  bodies.addSchema(refsToComponents({ $id: COMPONENTS_ID, $defs: document.components.schemas }));
  // Header values are strings on the wire; a documented integer is read as one.
  const headers = newAjv({ coerceTypes: true });
  const compiled = new Map<object, ValidateFunction>();
  const bodyValidator = (schema: object) => cached(compiled, schema, () => bodies.compile(refsToComponents(schema)));
  const headerValidator = (schema: object) =>
    cached(compiled, schema, () => headers.compile({ type: 'object', properties: { value: schema } }));

  const routes = Object.entries(document.paths).map(([template, operations]) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}/]+\}/g, '[^/]+')}$`),
    operations,
  }));

  return (request, response) => {
    const method = request.method.toLowerCase();
    const path = request.path.replace(/[?#].*$/s, '');
    const route = routes.find(({ pattern }) => pattern.test(path));
    const operation = route?.operations[method];
    const where = route && operation ? `${request.method} ${route.template} (${operation.operationId})` : null;

    if (!route || !operation) {
      if (method === 'get' && path === SERVED_DOCUMENT_PATH) {
        if (response.status === 200 && !isDeepStrictEqual(response.body, document)) {
          throw new ContractViolation(`GET ${SERVED_DOCUMENT_PATH} served a document other than openapi.json.`);
        }
        return;
      }
      if (method === 'options' && route) return;
      if (response.status < 400) {
        throw new ContractViolation(
          `${request.method} ${path} is not in openapi.json, yet the API answered it ${response.status}.`,
        );
      }
      if (!response.headers.get('content-type')?.startsWith('application/problem+json')) {
        throw new ContractViolation(`${request.method} ${path} was refused without a problem+json body.`);
      }
      return;
    }

    const documented = operation.responses[String(response.status)];
    if (!documented) {
      throw new ContractViolation(
        `${where} answered ${response.status}, which openapi.json does not document ` +
          `(it documents ${Object.keys(operation.responses).join(', ')}).`,
      );
    }
    const answer = `${where} → ${response.status}`;

    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      const value = response.headers.get(name);
      if (value === null) {
        if (header.required) throw new ContractViolation(`${answer}: the required header ${name} is missing.`);
        continue;
      }
      if (!header.schema) continue;
      const validate = headerValidator(header.schema);
      if (!validate({ value })) {
        throw new ContractViolation(`${answer}: header ${name}: ${JSON.stringify(value)} ${describe(validate.errors)}`);
      }
    }

    const contentType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (!documented.content) {
      if (response.body !== undefined) throw new ContractViolation(`${answer}: documents no body, but one came.`);
      return;
    }
    const media = contentType === undefined ? undefined : documented.content[contentType];
    if (!media) {
      throw new ContractViolation(
        `${answer}: content type ${contentType ?? '(none)'} is not documented ` +
          `(it documents ${Object.keys(documented.content).join(', ')}).`,
      );
    }
    if (!media.schema) return;
    const validate = bodyValidator(media.schema);
    if (!validate(response.body)) {
      throw new ContractViolation(`${answer} ${contentType}: the body breaks its schema: ${describe(validate.errors)}`);
    }
  };
}

function cached<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((error) => {
      const field = (error.params as { additionalProperty?: unknown }).additionalProperty;
      const message = `${error.message ?? 'is not valid'}${typeof field === 'string' ? ` (${field})` : ''}`;
      return `${error.instancePath || '(the whole value)'} ${message} (schema ${inDocumentTerms(error.schemaPath)})`;
    })
    .join('; ');
}

let check: ResponseCheck | undefined;

/** Throws a ContractViolation when the response breaks openapi.json. */
export const checkResponse: ResponseCheck = (request, response) => {
  check ??= contractChecker(JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8')) as OpenApiDocument);
  check(request, response);
};
