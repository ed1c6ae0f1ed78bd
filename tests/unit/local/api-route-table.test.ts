import { describe, expect, test } from '@jest/globals';
import type { ApiRoute } from '../../../local/api/api-definition.js';
import { RouteTable } from '../../../local/api/route-table.js';

const route = (method: string, resourcePath: string, functionId: string): ApiRoute => ({
  method,
  resourcePath,
  functionId,
  authorized: true,
  identityHeader: 'Authorization',
});

const routes = [
  route('POST', '/tickets', 'Create'),
  route('GET', '/tickets', 'List'),
  route('GET', '/tickets/{id}', 'Get'),
  route('PATCH', '/tickets/{id}', 'Update'),
  route('GET', '/tickets/mine', 'Mine'),
  route('GET', '/files/{path+}', 'Files'),
  route('OPTIONS', '/tickets/{id}', 'Preflight'),
];
const table = new RouteTable(routes);

describe('RouteTable', () => {
  test('matches method and path, with path parameters', () => {
    expect(table.resolve('GET', '/tickets/01ABC')).toEqual({
      kind: 'route',
      route: routes[2],
      pathParameters: { id: '01ABC' },
    });
    expect(table.resolve('PATCH', '/tickets/01ABC')).toMatchObject({ route: { functionId: 'Update' } });
  });

  test('a route without parameters has pathParameters null, as in API Gateway', () => {
    expect(table.resolve('GET', '/tickets')).toEqual({ kind: 'route', route: routes[1], pathParameters: null });
  });

  test('a literal segment wins over a parameter', () => {
    expect(table.resolve('GET', '/tickets/mine')).toMatchObject({ route: { functionId: 'Mine' } });
  });

  test('path parameters are percent-decoded', () => {
    expect(table.resolve('GET', '/tickets/a%20b')).toMatchObject({ pathParameters: { id: 'a b' } });
  });

  test('a greedy parameter takes the rest of the path', () => {
    expect(table.resolve('GET', '/files/a/b/c')).toMatchObject({ pathParameters: { path: 'a/b/c' } });
  });

  test.each([
    ['GET', '/'],
    ['GET', '/nothing-here'],
    ['GET', '/tickets/'],
    ['GET', '/tickets/01ABC/extra'],
    ['DELETE', '/tickets/01ABC'],
    ['PUT', '/tickets'],
    ['GET', '/tickets/%E0%A4%A'],
  ])('%s %s has no route', (method, path) => {
    expect(table.resolve(method, path)).toEqual({ kind: 'no-route' });
  });

  test('OPTIONS is routed like any method: to the route the template gives it, if any', () => {
    expect(table.resolve('OPTIONS', '/tickets/01ABC')).toEqual({
      kind: 'route',
      route: routes[6],
      pathParameters: { id: '01ABC' },
    });
    expect(table.resolve('OPTIONS', '/tickets')).toEqual({ kind: 'no-route' });
  });

  test('refuses two routes for the same method and path', () => {
    expect(() => new RouteTable([route('GET', '/a', 'One'), route('GET', '/a', 'Two')])).toThrow(
      /Two routes for GET \/a/,
    );
  });
});
