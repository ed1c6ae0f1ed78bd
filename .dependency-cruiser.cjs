/**
 * The dependency rule (npm run lint:deps): which folder may import which.
 * The layer's folders are layered one way only: the composition root
 * (index.ts and the other entry points, http-api.ts, ticket-service-factory.ts,
 * analysis-completion-factory.ts, event-publisher-factory.ts, with
 * table-access.ts) imports anything in the layer; the edges (http/, stream/, events/) and the adapters (analysis/, repository/) import the
 * domain and the root helpers (config.ts, logger.ts, tracer.ts, metrics.ts,
 * aws-clients.ts with the SDK classes it loads, *-sdk.ts, error-name.ts); the domain imports only itself; the root helpers import no
 * folder. So no two folders import each other, and a folder-level cycle
 * check says so for any folder of the layer.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const LAYER = '^layers/shared/src/';
const DOMAIN = `${LAYER}domain/`;
const ADAPTERS = `${LAYER}(analysis|repository)/`;
const EDGES = `${LAYER}(http|stream|events)/`;
const LAYER_FOLDERS = `${LAYER}[^/]+/`;
const COMPOSITION_ROOT = `${LAYER}(index|http-api|ticket-service-factory|analysis-completion-factory|event-publisher-factory|table-access)\\.ts$`;
/** The package's entry points (layers/shared/package.json `exports`): what a function may import. */
const ENTRY_POINTS = `${LAYER}(index|http-api|ticket-service-factory|analysis-completion-factory|event-publisher-factory|http/cors)\\.ts$`;
const ROOT_MODULES = `${LAYER}[^/]+$`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No module depends on itself through others.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles-in-the-layer',
      severity: 'error',
      scope: 'folder',
      comment: 'No folder of the layer depends on itself through other folders, whichever modules make the edges.',
      from: { path: LAYER },
      to: { path: LAYER, circular: true },
    },
    {
      name: 'domain-imports-only-domain',
      severity: 'error',
      comment:
        'The domain imports only the domain, node builtins and ulid (and json-schema-to-ts types, to derive its input types from its schemas).',
      from: { path: DOMAIN },
      to: {
        pathNot: [DOMAIN, '(^|/)node_modules/ulid/', '(^|/)node_modules/json-schema-to-ts/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'domain-uses-json-schema-to-ts-types-only',
      severity: 'error',
      comment: 'json-schema-to-ts is a type-level tool: no code of it ships in the layer.',
      from: { path: DOMAIN },
      to: { path: '(^|/)node_modules/json-schema-to-ts/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'adapters-import-no-edge',
      severity: 'error',
      comment: 'analysis/ and repository/ implement domain ports; they know nothing of HTTP or the stream.',
      from: { path: ADAPTERS },
      to: { path: EDGES },
    },
    {
      name: 'adapters-import-not-each-other',
      severity: 'error',
      comment: 'analysis/ and repository/ are independent adapters: they meet only in the domain.',
      from: { path: `${LAYER}(analysis|repository)/` },
      to: { path: `${LAYER}(analysis|repository)/`, pathNot: `${LAYER}$1/` },
    },
    {
      name: 'edges-import-not-each-other',
      severity: 'error',
      comment: 'http/, stream/ and events/ are independent edges: what they share is in the domain or a root helper.',
      from: { path: EDGES },
      to: { path: EDGES, pathNot: `${LAYER}$1/` },
    },
    {
      name: 'folders-import-not-the-composition-root',
      severity: 'error',
      comment: 'The composition root imports the folders, never the reverse.',
      from: { path: LAYER_FOLDERS },
      to: { path: COMPOSITION_ROOT },
    },
    {
      name: 'root-helpers-import-no-folder',
      severity: 'error',
      comment:
        'The root helpers (config.ts, logger.ts, tracer.ts, metrics.ts, aws-clients.ts and its *-sdk.ts, error-name.ts) sit below every folder: they import no folder and not the composition root.',
      from: { path: ROOT_MODULES, pathNot: COMPOSITION_ROOT },
      to: { path: [LAYER_FOLDERS, COMPOSITION_ROOT] },
    },
    {
      name: 'layer-imports-only-its-declared-packages',
      severity: 'error',
      comment:
        "The layer ships with the dependencies of layers/shared/package.json alone: no undeclared or development package at run time (type-only imports, such as json-schema-to-ts's and aws-lambda's types, ship no code).",
      from: { path: LAYER },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'edges-import-no-adapter',
      severity: 'error',
      comment:
        'http/, stream/ and events/ reach adapters only through the composition root (index.ts and the other entry points).',
      from: { path: EDGES },
      to: { path: ADAPTERS },
    },
    {
      name: 'layer-imports-nothing-outside',
      severity: 'error',
      comment: 'The layer ships alone: no function, local-runtime, script or test code in it.',
      from: { path: LAYER },
      to: { path: '^(functions|local|scripts|tests)/' },
    },
    {
      name: 'functions-import-only-the-layer-and-their-folder',
      severity: 'error',
      comment:
        'A function imports the entry points of @aws-support-system/shared (its package.json exports) and its own files, nothing else.',
      from: { path: '^functions/([^/]+)/' },
      to: { pathNot: ['^functions/$1/', ENTRY_POINTS] },
    },
    {
      name: 'console-imports-only-the-domain-vocabulary-and-types',
      severity: 'error',
      comment:
        "The console (web/src) runs in a browser: from the layer it takes the ticket vocabulary (pure constants) and, type-only, the ticket and comment types derived from the API's schemas; nothing else of the layer, and nothing of functions, local, scripts or tests.",
      from: { path: '^web/src/' },
      to: {
        path: [LAYER, '^(functions|local|scripts|tests)/'],
        pathNot: `${DOMAIN}ticket-vocabulary\\.ts$`,
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'console-types-come-from-the-ticket-and-comment-schemas',
      severity: 'error',
      comment:
        "The console's type-only imports from the layer are the ticket and comment types, derived from the API's schemas.",
      from: { path: '^web/src/' },
      to: {
        path: LAYER,
        pathNot: `${DOMAIN}(ticket|comment-schema|ticket-vocabulary)\\.ts$`,
      },
    },
    {
      name: 'console-imports-only-preact',
      severity: 'error',
      comment: 'The console ships Preact and its own code: no other package reaches the browser bundle.',
      from: { path: '^web/src/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-no-pkg', 'npm-unknown', 'npm-optional', 'npm-peer', 'npm-bundled'],
        pathNot: '(^|/)node_modules/preact/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'nothing-imports-the-console',
      severity: 'error',
      comment:
        'The console is a browser app: the layer, functions, local runtime and scripts build it from its path, never import its code.',
      from: { path: '^(layers|functions|local|scripts)/' },
      to: { path: '^web/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-the-console-config-type-is-shared',
      severity: 'error',
      comment:
        'Of the console, the local runtime and scripts take one type: ConsoleConfig (web/src/config.ts), the /config.json they write.',
      from: { path: '^(local|scripts)/' },
      to: { path: '^web/', pathNot: '^web/src/config\\.ts$' },
    },
    {
      name: 'the-layer-and-functions-import-nothing-of-the-console',
      severity: 'error',
      comment: 'The layer and the functions know nothing of the console, not even its types.',
      from: { path: '^(layers|functions)/' },
      to: { path: '^web/' },
    },
    {
      name: 'no-orphans-in-the-layer',
      severity: 'error',
      comment: 'No module of the layer stands alone: each imports or is imported by something.',
      from: { orphan: true, path: LAYER, pathNot: '\\.d\\.ts$' },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^\\.aws-sam/', '^dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
