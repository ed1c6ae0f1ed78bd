/**
 * The dependency rule (npm run lint:deps): which folder may import which.
 * Adapters (analysis/, repository/) and edges (http/, stream/) depend on the
 * domain, never the reverse; only the composition root (index.ts,
 * ticket-service-factory.ts) wires adapters to the edges.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const LAYER = '^layers/shared/src/';
const DOMAIN = `${LAYER}domain/`;
const ADAPTERS = `${LAYER}(analysis|repository)/`;
const EDGES = `${LAYER}(http|stream)/`;

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
      name: 'edges-import-no-adapter',
      severity: 'error',
      comment:
        'http/ and stream/ reach adapters only through the composition root (index.ts, ticket-service-factory.ts).',
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
      comment: 'A function imports @aws-support-system/shared and its own files, nothing else.',
      from: { path: '^functions/([^/]+)/' },
      to: { pathNot: ['^functions/$1/', `${LAYER}index\\.ts$`] },
    },
    {
      name: 'no-orphans-in-the-layer',
      severity: 'error',
      comment: 'Every module of the layer is used by something.',
      from: { orphan: true, path: LAYER, pathNot: '\\.d\\.ts$' },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^\\.aws-sam/', '(^|/)dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
