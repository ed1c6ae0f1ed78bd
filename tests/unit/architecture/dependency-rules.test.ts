/**
 * The rules the layout depends on. Which folder may import which is
 * dependency-cruiser's (.dependency-cruiser.cjs, npm run lint:deps); here,
 * that its rules catch what they are meant to, and what it cannot express:
 * every function is built on the one stack of its kind; nothing scans the
 * table; an error's name is read in one place; the README's Layout names
 * every folder; the committed request validators match their schemas.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { errorNameOf } from '../../../layers/shared/src/error-name.js';
import { compiledValidators } from '../../../scripts/compile-validators.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const functionFiles = sourceFiles(join(root, 'functions'));
const layerFiles = sourceFiles(join(root, 'layers', 'shared', 'src'));

describe('functions', () => {
  test('there are ten, each with a handler', () => {
    const handlers = functionFiles.filter((file) => file.endsWith('handler.ts')).map((file) => relative(root, file));
    expect(handlers.sort()).toEqual([
      'functions/add-comment/handler.ts',
      'functions/analyze-ticket/handler.ts',
      'functions/cors-preflight/handler.ts',
      'functions/create-ticket/handler.ts',
      'functions/get-comment/handler.ts',
      'functions/get-ticket/handler.ts',
      'functions/list-comments/handler.ts',
      'functions/list-tickets/handler.ts',
      'functions/publish-events/handler.ts',
      'functions/update-ticket/handler.ts',
    ]);
  });

  // The CORS preflight has no route behind it (no caller, no input, no table): the layer's one preflight answers it.
  test('every handler is built by the one builder of its kind (HTTP routes, stream batches, or the CORS preflight)', () => {
    for (const file of functionFiles.filter((name) => name.endsWith('handler.ts'))) {
      expect(readFileSync(file, 'utf8')).toMatch(
        /export const handler = (httpHandler(<[^>]+>)?|ticketStreamHandler|ticketEventsHandler|corsPreflightHandler)\(/,
      );
    }
  });

  test('the layer builds middy stacks in two places only: one for HTTP routes, one for stream batches', () => {
    const stacks = layerFiles
      .filter((file) => /\bmiddy(<[^>]*>)?\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(stacks.sort()).toEqual([
      'layers/shared/src/http/http-handler.ts',
      'layers/shared/src/stream/stream-handler.ts',
    ]);
  });
});

describe('the shared layer', () => {
  test('never scans the table', () => {
    const scanning = [...layerFiles, ...functionFiles].filter((file) =>
      /\bScan(Command)?\b|\.scan\(/.test(readFileSync(file, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')),
    );
    expect(scanning.map((file) => relative(root, file))).toEqual([]);
  });

  test("reads an error's name with one helper (error-name.ts)", () => {
    const own = layerFiles.filter(
      (file) =>
        !file.endsWith('error-name.ts') && /function \w+\(error: unknown\): string\b/.test(readFileSync(file, 'utf8')),
    );
    expect(own.map((file) => relative(root, file))).toEqual([]);
    expect(errorNameOf(Object.assign(new Error('quoted customer text'), { name: 'ThrottlingException' }))).toBe(
      'ThrottlingException',
    );
    expect(errorNameOf(new TypeError('x'))).toBe('TypeError');
    for (const nameless of [null, undefined, 'text', { name: '' }, { name: 42 }])
      expect(errorNameOf(nameless)).toBe('UnknownError');
  });
});

describe("the README's Layout", () => {
  test('names every folder of the layer, the local runtime and the tests', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const layout = readme.slice(readme.indexOf('## Layout'), readme.indexOf('## Local development'));
    const folders = (parent: string) =>
      readdirSync(join(root, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
        .map((entry) => entry.name);
    const named = (prefix: string) => (name: string) => new RegExp(`^\\s*${prefix}${name}/\\s`, 'm').test(layout);
    expect(folders('layers/shared/src').filter((name) => !named('src/')(name))).toEqual([]);
    expect(folders('local').filter((name) => !named('')(name))).toEqual([]);
    expect(folders('tests').filter((name) => name !== 'support' && !named('tests/')(name))).toEqual([]);
  });
});

describe('request validators', () => {
  test('each committed validator is the one its schema compiles to (npm run compile-validators)', async () => {
    for (const { path, source } of await compiledValidators()) {
      expect(readFileSync(path, 'utf8')).toBe(source);
    }
  });
});

describe('the dependency rule (.dependency-cruiser.cjs)', () => {
  /** A tree shaped like the project's, each file breaking (or keeping) one rule. */
  const fixture: Record<string, string> = {
    'layers/shared/package.json': JSON.stringify({
      name: '@aws-support-system/shared',
      dependencies: { declared: '^1.0.0' },
      devDependencies: { 'dev-only': '^1.0.0' },
    }),
    'layers/shared/src/index.ts': "export * from './domain/ticket.js';\nexport * from './ticket-service-factory.js';\n",
    'layers/shared/src/ticket-service-factory.ts':
      "export * from './repository/store.js';\nexport * from './analysis/analyzer.js';\nexport * from './http/route.js';\nexport * from './stream/batch.js';\n",
    'layers/shared/src/config.ts': "import { hash } from './index.js';\nexport const config = hash;\n",
    'layers/shared/src/logger.ts': "import { batch } from './stream/batch.js';\nexport const logger = batch;\n",
    'layers/shared/src/aws-clients.ts': "import { config } from './config.js';\nexport const client = config;\n",
    'layers/shared/src/error-name.ts': 'export const errorName = 1;\n',
    'layers/shared/src/domain/ticket.ts':
      "import { createHash } from 'node:crypto';\nexport const hash = createHash;\n",
    'layers/shared/src/domain/service.ts':
      "import { store } from '../repository/store.js';\nexport const service = store;\n",
    'layers/shared/src/repository/store.ts':
      "import { hash } from '../domain/ticket.js';\nimport { analyzer } from '../analysis/analyzer.js';\nexport const store = [hash, analyzer];\n",
    'layers/shared/src/repository/reads.ts':
      "import { hash } from '../domain/ticket.js';\nimport { errorName } from '../error-name.js';\nexport const reads = [hash, errorName];\n",
    'layers/shared/src/repository/client.ts':
      "import type { Shape } from 'typed';\nimport { declared } from 'declared';\nimport { devOnly } from 'dev-only';\nimport { packed } from 'packed';\nexport const client: Shape[] = [declared, devOnly, packed];\n",
    'layers/shared/src/analysis/analyzer.ts':
      "import { route } from '../http/route.js';\nimport { a } from './a.js';\nexport const analyzer = [route, a];\n",
    'layers/shared/src/analysis/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
    'layers/shared/src/analysis/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    'layers/shared/src/analysis/wired.ts': "import { hash } from '../index.js';\nexport const wired = hash;\n",
    'layers/shared/src/http/route.ts':
      "import { store } from '../repository/store.js';\nimport { harness } from '../../../../tests/harness.js';\nexport const route = [store, harness];\n",
    'layers/shared/src/http/caller.ts':
      "import { config } from '../config.js';\nimport { hash } from '../domain/ticket.js';\nexport const caller = [config, hash];\n",
    // http/ and stream/ import each other through different modules: a folder cycle, no module cycle.
    'layers/shared/src/http/status.ts': "import { batch } from '../stream/batch.js';\nexport const status = batch;\n",
    'layers/shared/src/http/problem.ts': 'export const problem = 1;\n',
    'layers/shared/src/stream/retry.ts':
      "import { problem } from '../http/problem.js';\nexport const retry = problem;\n",
    'layers/shared/src/stream/batch.ts': "import { hash } from '../domain/ticket.js';\nexport const batch = hash;\n",
    // Two folders no rule names: only the folder-level cycle check sees them import each other.
    'layers/shared/src/metrics/counter.ts':
      "import { span } from '../tracing/span.js';\nexport const counter = span;\n",
    'layers/shared/src/metrics/unit.ts': 'export const unit = 1;\n',
    'layers/shared/src/tracing/clock.ts': "import { unit } from '../metrics/unit.js';\nexport const clock = unit;\n",
    'layers/shared/src/tracing/span.ts': 'export const span = 1;\n',
    'layers/shared/src/unused.ts': 'export const unused = 1;\n',
    'functions/create/handler.ts':
      "import { hash } from '@aws-support-system/shared';\nimport { other } from '../list/handler.js';\nexport const handler = [hash, other];\n",
    'functions/list/handler.ts': "import { hash } from '@aws-support-system/shared';\nexport const other = hash;\n",
    'functions/get/handler.ts': "import { packed } from 'packed';\nexport const handler = packed;\n",
    'tests/harness.ts':
      "import { store } from '../layers/shared/src/repository/store.js';\nexport const harness = store;\n",
    // The console: the ticket vocabulary, the schemas' types and Preact are its share of the world.
    'layers/shared/src/domain/ticket-vocabulary.ts': "export const STATUSES = ['open'] as const;\n",
    'web/src/queue.tsx':
      "import type { hash } from '../../layers/shared/src/domain/ticket.js';\nimport type { Shape } from 'typed';\nimport { STATUSES } from '../../layers/shared/src/domain/ticket-vocabulary.js';\nimport { render } from 'preact';\nexport const queue: [typeof hash, Shape[], typeof STATUSES, typeof render] = [() => 1, [], STATUSES, render];\n",
    'web/src/reaches.ts':
      "import { hash } from '../../layers/shared/src/domain/ticket.js';\nimport type { reads } from '../../layers/shared/src/repository/reads.js';\nimport { config } from '../../layers/shared/src/config.js';\nimport { packed } from 'packed';\nexport const reaches: unknown[] = [hash, config, packed, null as unknown as typeof reads];\n",
    'scripts/serve.ts': "import { queue } from '../web/src/queue.js';\nexport const serve = queue;\n",
    // Scripts and the local runtime write /config.json: its type, and nothing else of the console, is theirs.
    'web/src/config.ts':
      'export const parseConfig = (value: unknown) => ({ apiUrl: String(value) });\nexport type ConsoleConfig = ReturnType<typeof parseConfig>;\n',
    'scripts/writes-config.ts':
      "import type { ConsoleConfig } from '../web/src/config.js';\nexport const written: ConsoleConfig = { apiUrl: '' };\n",
    'local/serves-config.ts':
      "import type { ConsoleConfig } from '../web/src/config.js';\nexport const served: ConsoleConfig = { apiUrl: '' };\n",
    'scripts/parses-config.ts':
      "import { parseConfig } from '../web/src/config.js';\nexport const parsed = parseConfig('');\n",
    'scripts/queue-type.ts':
      "import type { queue } from '../web/src/queue.js';\nexport const queued: typeof queue | null = null;\n",
    'functions/get/config-type.ts':
      "import type { ConsoleConfig } from '../../web/src/config.js';\nexport const config: ConsoleConfig | null = null;\n",
    // Packages: one whose code sits under dist/, one the layer declares, one it declares for development only, one of types only.
    'node_modules/packed/package.json': JSON.stringify({ name: 'packed', main: 'dist/index.js' }),
    'node_modules/packed/dist/index.js': 'export const packed = 1;\n',
    'node_modules/declared/package.json': JSON.stringify({ name: 'declared', main: 'index.js' }),
    'node_modules/declared/index.js': 'export const declared = 1;\n',
    'node_modules/dev-only/package.json': JSON.stringify({ name: 'dev-only', main: 'index.js' }),
    'node_modules/dev-only/index.js': 'export const devOnly = 1;\n',
    'node_modules/typed/package.json': JSON.stringify({ name: 'typed', types: 'index.d.ts' }),
    'node_modules/typed/index.d.ts': 'export interface Shape {\n  size: number;\n}\n',
    'node_modules/preact/package.json': JSON.stringify({ name: 'preact', main: 'index.js' }),
    'node_modules/preact/index.js': 'export const render = 1;\n',
  };

  let workspace: string;
  let violations: string[];

  beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'dependency-rule-'));
    for (const [path, source] of Object.entries(fixture)) {
      mkdirSync(dirname(join(workspace, path)), { recursive: true });
      writeFileSync(join(workspace, path), source);
    }
    writeFileSync(
      join(workspace, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'ESNext',
          moduleResolution: 'bundler',
          baseUrl: '.',
          paths: { '@aws-support-system/shared': ['layers/shared/src/index.ts'] },
        },
      }),
    );
    const cli = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
    const args = [cli, '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json'];
    // Violations make the command fail; its report is on stdout either way.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...args, 'layers', 'functions', 'tests', 'web', 'scripts', 'local'],
      {
        cwd: workspace,
      },
    ).catch((error: unknown) => error as { stdout: string });
    const report = JSON.parse(stdout) as {
      summary: { violations: { rule: { name: string }; from: string; to: string }[] };
    };
    violations = report.summary.violations.map(({ rule, from, to }) => `${rule.name}: ${from} → ${to}`);
  }, 60_000);

  afterAll(() => {
    rmSync(workspace, { recursive: true, force: true });
  });

  test.each([
    'domain-imports-only-domain: layers/shared/src/domain/service.ts → layers/shared/src/repository/store.ts',
    'adapters-import-not-each-other: layers/shared/src/repository/store.ts → layers/shared/src/analysis/analyzer.ts',
    'adapters-import-no-edge: layers/shared/src/analysis/analyzer.ts → layers/shared/src/http/route.ts',
    'edges-import-no-adapter: layers/shared/src/http/route.ts → layers/shared/src/repository/store.ts',
    'edges-import-not-each-other: layers/shared/src/http/status.ts → layers/shared/src/stream/batch.ts',
    'edges-import-not-each-other: layers/shared/src/stream/retry.ts → layers/shared/src/http/problem.ts',
    'folders-import-not-the-composition-root: layers/shared/src/analysis/wired.ts → layers/shared/src/index.ts',
    'root-helpers-import-no-folder: layers/shared/src/logger.ts → layers/shared/src/stream/batch.ts',
    'root-helpers-import-no-folder: layers/shared/src/config.ts → layers/shared/src/index.ts',
    'no-folder-cycles-in-the-layer: layers/shared/src/http → layers/shared/src/stream',
    'no-folder-cycles-in-the-layer: layers/shared/src/stream → layers/shared/src/http',
    'no-folder-cycles-in-the-layer: layers/shared/src/metrics → layers/shared/src/tracing',
    'no-folder-cycles-in-the-layer: layers/shared/src/tracing → layers/shared/src/metrics',
    'layer-imports-only-its-declared-packages: layers/shared/src/repository/client.ts → node_modules/packed/dist/index.js',
    'layer-imports-only-its-declared-packages: layers/shared/src/repository/client.ts → node_modules/dev-only/index.js',
    'layer-imports-nothing-outside: layers/shared/src/http/route.ts → tests/harness.ts',
    'functions-import-only-the-layer-and-their-folder: functions/create/handler.ts → functions/list/handler.ts',
    'functions-import-only-the-layer-and-their-folder: functions/get/handler.ts → node_modules/packed/dist/index.js',
    'no-circular: layers/shared/src/analysis/a.ts → layers/shared/src/analysis/b.ts',
    'no-orphans-in-the-layer: layers/shared/src/unused.ts → layers/shared/src/unused.ts',
    'console-imports-only-the-domain-vocabulary-and-types: web/src/reaches.ts → layers/shared/src/domain/ticket.ts',
    'console-imports-only-the-domain-vocabulary-and-types: web/src/reaches.ts → layers/shared/src/config.ts',
    'console-types-come-from-the-ticket-and-comment-schemas: web/src/reaches.ts → layers/shared/src/repository/reads.ts',
    'console-types-come-from-the-ticket-and-comment-schemas: web/src/reaches.ts → layers/shared/src/config.ts',
    'console-imports-only-preact: web/src/reaches.ts → node_modules/packed/dist/index.js',
    'nothing-imports-the-console: scripts/serve.ts → web/src/queue.tsx',
    'nothing-imports-the-console: scripts/parses-config.ts → web/src/config.ts',
    'only-the-console-config-type-is-shared: scripts/queue-type.ts → web/src/queue.tsx',
    'the-layer-and-functions-import-nothing-of-the-console: functions/get/config-type.ts → web/src/config.ts',
  ])('catches %s', (violation) => {
    expect(violations).toContain(violation);
  });

  test('lets the composition root wire adapters, the domain use node builtins, and tests import anything', () => {
    const allowed = violations.filter(
      (violation) =>
        violation.includes('ticket-service-factory.ts →') ||
        violation.includes('domain/ticket.ts →') ||
        violation.includes('tests/harness.ts →') ||
        violation.includes('stream/batch.ts →') ||
        violation.includes('functions/list/handler.ts →'),
    );
    expect(allowed).toEqual([]);
  });

  test('lets edges and adapters import the domain and the root helpers, and root helpers import each other', () => {
    const allowed = violations.filter(
      (violation) =>
        violation.includes('http/caller.ts →') ||
        violation.includes('repository/reads.ts →') ||
        violation.includes('aws-clients.ts →'),
    );
    expect(allowed).toEqual([]);
  });

  test("lets the local runtime and scripts import the console's config type, and only type-only", () => {
    expect(
      violations.filter(
        (violation) =>
          violation.includes('scripts/writes-config.ts →') || violation.includes('local/serves-config.ts →'),
      ),
    ).toEqual([]);
  });

  test("lets the console import the ticket vocabulary, the schemas' types, Preact, and types only of any package", () => {
    expect(violations.filter((violation) => violation.includes('web/src/queue.tsx →'))).toEqual([]);
  });

  test('lets the layer import the packages it declares, and types only of any package', () => {
    const allowed = violations.filter(
      (violation) => violation.includes('node_modules/declared/') || violation.includes('node_modules/typed/'),
    );
    expect(allowed).toEqual([]);
  });
});
