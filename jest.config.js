// ESM TypeScript through ts-jest; run with NODE_OPTIONS=--experimental-vm-modules (see package.json).
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@aws-support-system/shared$': '<rootDir>/layers/shared/src/index.ts',
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
      // A request may cold-start a function on a busy machine; start-up has its own, longer budget.
      testTimeout: 60_000,
    },
  ],
};
