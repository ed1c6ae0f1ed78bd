import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll } from '../../../scripts/build.js';
import { PROJECT_ROOT } from '../../../scripts/sam-template.js';

/**
 * The built layer loads per concern: each entry point a function imports
 * statically reaches no AWS SDK client and no X-Ray SDK (those are chunks
 * loaded on first use), and each piece of code is in one file only.
 */

/**
 * Where each SDK client class and the X-Ray SDK are defined: class names are
 * kept in the minified build (`--keep-names`), as `(this,"DynamoDBClient")`.
 */
const MARKERS = {
  dynamodb: '(this,"DynamoDBClient")',
  comprehend: '(this,"ComprehendClient")',
  eventbridge: '(this,"EventBridgeClient")',
  secretsManager: '(this,"SecretsManagerClient")',
  xray: 'AWSXRay',
} as const;
type Marker = keyof typeof MARKERS;

/** `import{a as b}from"./chunk.mjs"` and `import"./chunk.mjs"`, as esbuild writes them; not `import("./chunk.mjs")`. */
const STATIC_IMPORT =
  /\bimport\s*(?:(?:\{[^}]*\}|\*\s*as\s*[\w$]+|[\w$]+(?:\s*,\s*\{[^}]*\})?)\s*from\s*)?"(\.\/[^"]+)"/g;
const DYNAMIC_IMPORT = /\bimport\(\s*"(\.\/[^"]+)"\s*\)/g;

describe('the built layer', () => {
  const buildDir = mkdtempSync(join(tmpdir(), 'layer-entry-points-'));
  const packageDir = join(buildDir, 'SharedLayer', 'nodejs', 'node_modules', '@aws-support-system', 'shared');
  let exportsMap: Record<string, string> = {};
  const source = (file: string) => readFileSync(join(packageDir, file), 'utf8');
  const importsOf = (file: string, pattern: RegExp) =>
    [...source(file).matchAll(pattern)].map(([, path]) => (path ?? '').slice(2));

  /** The files loaded with `entry`: its static imports, transitively, and with `dynamic` the chunks loaded on first use too. */
  function closure(entry: string, dynamic: boolean): string[] {
    const seen = new Set<string>();
    const pending = [entry];
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      if (seen.has(file)) continue;
      seen.add(file);
      pending.push(...importsOf(file, STATIC_IMPORT));
      if (dynamic) pending.push(...importsOf(file, DYNAMIC_IMPORT));
    }
    return [...seen];
  }
  const markersIn = (files: string[]): Marker[] =>
    (Object.keys(MARKERS) as Marker[]).filter((marker) => files.some((file) => source(file).includes(MARKERS[marker])));

  beforeAll(async () => {
    await buildAll({ buildDir, only: ['SharedLayer'] });
    exportsMap = (JSON.parse(source('package.json')) as { exports: Record<string, string> }).exports;
  }, 120_000);
  afterAll(() => {
    rmSync(buildDir, { recursive: true, force: true });
  });

  test('has an entry point per concern besides the whole package', () => {
    expect(Object.keys(exportsMap).sort()).toEqual([
      '.',
      './analysis-completion',
      './cors',
      './events',
      './http',
      './services',
    ]);
  });

  test("TypeScript resolves each entry point to the source the layer's package.json names", () => {
    const sources = JSON.parse(readFileSync(join(PROJECT_ROOT, 'layers/shared/package.json'), 'utf8')) as {
      exports: Record<string, string>;
    };
    const tsconfig = JSON.parse(readFileSync(join(PROJECT_ROOT, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { paths: Record<string, string[]> };
    };
    const layerPaths = Object.entries(tsconfig.compilerOptions.paths).filter(([name]) =>
      name.startsWith('@aws-support-system/shared'),
    );
    expect(Object.fromEntries(layerPaths)).toEqual(
      Object.fromEntries(
        Object.entries(sources.exports).map(([path, source]) => [
          `@aws-support-system/shared${path.slice(1)}`,
          [`layers/shared/${source.slice(2)}`],
        ]),
      ),
    );
  });

  test('no entry point but the whole package loads an SDK client or the X-Ray SDK when imported', () => {
    for (const [path, file] of Object.entries(exportsMap).filter(([path]) => path !== '.')) {
      expect({ path, loaded: markersIn(closure(file.slice(2), false)) }).toEqual({ path, loaded: [] });
    }
  });

  test('each entry point loads the clients its functions use from chunks, on first use', () => {
    const onFirstUse = (path: string) => markersIn(closure((exportsMap[path] ?? '').slice(2), true));
    expect(onFirstUse('./cors')).toEqual([]);
    expect(onFirstUse('./http')).toEqual(['xray']);
    expect(onFirstUse('./services')).toEqual(
      expect.arrayContaining(['dynamodb', 'comprehend', 'secretsManager', 'xray']),
    );
    expect(onFirstUse('./analysis-completion')).toEqual(expect.arrayContaining(['dynamodb', 'comprehend', 'xray']));
    expect(onFirstUse('./events')).toEqual(expect.arrayContaining(['eventbridge', 'xray']));
  });

  test('holds each piece of code in one file only', () => {
    const modules = readdirSync(packageDir).filter((file) => file.endsWith('.mjs'));
    for (const marker of Object.keys(MARKERS) as Marker[]) {
      expect({ marker, files: modules.filter((file) => source(file).includes(MARKERS[marker])).length }).toEqual({
        marker,
        files: 1,
      });
    }
  });
});
