/**
 * What the local system puts in a function's environment: the console's
 * origin (an allowed origin of the API) wins over what the template would
 * resolve it to here, as what the machine sets wins over the template.
 */
import { describe, expect, test } from '@jest/globals';
import type { FunctionDefinition } from '../../../local/api/api-definition.js';
import { lambdaEnvironment } from '../../../local/system/system.js';

const definition: FunctionDefinition = {
  logicalId: 'ListTicketsFunction',
  codeDir: '/build/ListTicketsFunction',
  handlerFile: 'index.mjs',
  handlerExport: 'handler',
  timeoutSeconds: 10,
  memorySize: 256,
  // A distribution's domain name has no local value: GetAtt resolves to a placeholder.
  environment: { CONSOLE_ORIGIN: 'https://arn:aws:local:…:ConsoleDistribution/DomainName', TABLE_NAME: 'tickets' },
};
const endpoints = {
  dynamoDb: 'http://127.0.0.1:8000',
  comprehend: 'http://127.0.0.1:4620',
  eventBridge: 'http://127.0.0.1:4621',
  secretsManager: 'http://127.0.0.1:4622',
};

describe("a function's environment on the local system", () => {
  test("CONSOLE_ORIGIN is the local console's origin, over the template's", () => {
    const environment = lambdaEnvironment(definition, endpoints, 'http://127.0.0.1:3001');
    expect(environment).toMatchObject({
      CONSOLE_ORIGIN: 'http://127.0.0.1:3001',
      TABLE_NAME: 'tickets',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
    });
  });

  test("without a console, no console origin: never the template's placeholder", () => {
    expect(lambdaEnvironment(definition, endpoints).CONSOLE_ORIGIN).toBe('');
  });
});
