/**
 * openapi.json is generated (npm run openapi) and committed: it must be what
 * the generator produces now, and describe exactly the routes template.yaml
 * gives API Gateway.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { OPENAPI_PATH, openApiSource } from '../../../scripts/openapi.js';
import { readTemplate, resourcesOfType } from '../../../scripts/sam-template.js';

interface ApiEvent {
  Type?: string;
  Properties?: { Path?: string; Method?: string };
}

const committed = readFileSync(OPENAPI_PATH, 'utf8');
const document = JSON.parse(committed) as { paths: Record<string, Record<string, unknown>> };

describe('openapi.json', () => {
  test('is the document the generator produces (npm run openapi)', async () => {
    expect(committed).toBe(await openApiSource());
  });

  test("describes exactly the template's routes", () => {
    const templateRoutes = resourcesOfType(readTemplate(), 'AWS::Serverless::Function').flatMap(([, resource]) =>
      Object.values((resource.Properties?.Events ?? {}) as Record<string, ApiEvent>)
        .filter((event) => event.Type === 'Api')
        .map((event) => `${String(event.Properties?.Method).toUpperCase()} ${String(event.Properties?.Path)}`)
        // The CORS preflight is browser plumbing, not an operation of the contract.
        .filter((route) => !route.startsWith('OPTIONS ')),
    );
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(templateRoutes).toHaveLength(7);
    expect(documented.sort()).toEqual(templateRoutes.sort());
  });
});
