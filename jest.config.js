// ESM TypeScript through ts-jest; run with NODE_OPTIONS=--experimental-vm-modules (see package.json).
import { readFileSync } from 'node:fs';

/** The layer's entry points, as layers/shared/package.json exports them, mapped to their sources. */
const layerEntryPoints = Object.fromEntries(
  Object.entries(
    JSON.parse(readFileSync(new URL('./layers/shared/package.json', import.meta.url), 'utf8')).exports,
  ).map(([path, source]) => [
    `^@aws-support-system/shared${path.slice(1)}$`,
    `<rootDir>/layers/shared/${source.slice(2)}`,
  ]),
);

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    ...layerEntryPoints,
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testEnvironment: 'node',
  // No test reaches AWS: dummy credentials and dead-end endpoints unless a project says otherwise.
  setupFiles: ['<rootDir>/tests/support/aws-test-environment.ts'],
};

export default {
  // Jest reads this at the top level only. A first request may cold-start a function or DynamoDB Local's
  // table on a busy machine; e2e files allow more (tests/e2e/support/local-system.ts).
  testTimeout: 30_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      setupFiles: [...shared.setupFiles, '<rootDir>/tests/support/dynamodb-test-environment.ts'],
      globalSetup: '<rootDir>/tests/support/dynamodb-global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/dynamodb-global-teardown.ts',
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
      // Builds the functions and layer once; each test file starts its own local system on them.
      globalSetup: '<rootDir>/tests/e2e/support/e2e-global-setup.ts',
      globalTeardown: '<rootDir>/tests/e2e/support/e2e-global-teardown.ts',
    },
    {
      ...shared,
      displayName: 'web',
      testMatch: ['<rootDir>/tests/web/**/*.test.{ts,tsx}'],
      // The console's sources are .tsx (Preact's JSX), compiled with its own tsconfig (DOM types, JSX).
      extensionsToTreatAsEsm: ['.ts', '.tsx'],
      transform: {
        '^.+\\.tsx?$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tests/web/tsconfig.json' }],
      },
    },
    {
      ...shared,
      displayName: 'browser',
      testMatch: ['<rootDir>/tests/browser/**/*.test.ts'],
      // The e2e build (the console included); each file starts its own local system and Chromium.
      globalSetup: '<rootDir>/tests/e2e/support/e2e-global-setup.ts',
      globalTeardown: '<rootDir>/tests/e2e/support/e2e-global-teardown.ts',
    },
  ],
};
