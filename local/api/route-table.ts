import type { ApiRoute } from './api-definition.js';

/*
 * API Gateway's routing: a request path is matched against the API's resource
 * paths (`/tickets/{id}`), literal segments winning over `{param}` segments;
 * then the method picks the route. A path no resource matches and a method the
 * resource lacks get the same answer from API Gateway (MISSING_AUTHENTICATION_TOKEN).
 * OPTIONS is a method like any other: the template routes it to the CORS
 * preflight function.
 */

export type Resolution =
  { kind: 'route'; route: ApiRoute; pathParameters: Record<string, string> | null } | { kind: 'no-route' };

interface Resource {
  path: string;
  segments: Segment[];
  /** More literal segments first: `/tickets/mine` wins over `/tickets/{id}`. */
  literalCount: number;
  routes: Map<string, ApiRoute>;
}

type Segment = { literal: string } | { parameter: string; greedy: boolean };

export class RouteTable {
  readonly #resources: Resource[];

  constructor(routes: readonly ApiRoute[]) {
    const byPath = new Map<string, Resource>();
    for (const route of routes) {
      let resource = byPath.get(route.resourcePath);
      if (!resource) {
        const segments = parseResourcePath(route.resourcePath);
        resource = {
          path: route.resourcePath,
          segments,
          literalCount: segments.filter((segment) => 'literal' in segment).length,
          routes: new Map(),
        };
        byPath.set(route.resourcePath, resource);
      }
      if (resource.routes.has(route.method)) {
        throw new Error(`Two routes for ${route.method} ${route.resourcePath}.`);
      }
      resource.routes.set(route.method, route);
    }
    this.#resources = [...byPath.values()].sort((a, b) => b.literalCount - a.literalCount);
  }

  resolve(method: string, rawPath: string): Resolution {
    const segments = splitPath(rawPath);
    if (!segments) return { kind: 'no-route' };
    for (const resource of this.#resources) {
      const parameters = matchSegments(resource.segments, segments);
      if (!parameters) continue;
      const route = resource.routes.get(method) ?? resource.routes.get('ANY');
      if (route) {
        return { kind: 'route', route, pathParameters: Object.keys(parameters).length > 0 ? parameters : null };
      }
      return { kind: 'no-route' };
    }
    return { kind: 'no-route' };
  }
}

function parseResourcePath(path: string): Segment[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const [, parameter, plus] = /^\{(\w+)(\+?)\}$/.exec(segment) ?? [];
      return parameter === undefined ? { literal: segment } : { parameter, greedy: plus === '+' };
    });
}

/** Decoded path segments, or null for a path that cannot be decoded. */
function splitPath(rawPath: string): string[] | null {
  const parts = rawPath.split('/').slice(1);
  try {
    return parts.map((part) => decodeURIComponent(part));
  } catch {
    return null;
  }
}

function matchSegments(pattern: Segment[], path: string[]): Record<string, string> | null {
  // "/" is the root resource; any other path needs one segment per pattern segment.
  if (pattern.length === 0) return path.length === 1 && path[0] === '' ? {} : null;
  const parameters: Record<string, string> = {};
  for (const [index, segment] of pattern.entries()) {
    if ('literal' in segment) {
      if (path[index] !== segment.literal) return null;
      continue;
    }
    if (segment.greedy) {
      const rest = path.slice(index);
      if (rest.length === 0 || rest.every((part) => part === '')) return null;
      parameters[segment.parameter] = rest.join('/');
      return parameters;
    }
    const value = path[index];
    if (value === undefined || value === '') return null;
    parameters[segment.parameter] = value;
  }
  return path.length === pattern.length ? parameters : null;
}
