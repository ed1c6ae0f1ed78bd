// The contract suite (tests/e2e/contract/) against a deployed stack: `npm run test:cloud` runs it with
// the users `npm run cloud:users -- create` wrote (CLOUD_USERS_FILE, default .cloud/users.json). Not part of
// `npm test`, which runs the same files against the local system (jest.config.js's e2e project).
import base from './jest.config.js';

const e2e = base.projects.find((project) => project.displayName === 'e2e');

export default {
  // Requests cross the internet to API Gateway and may cold-start a function; tests/e2e/support/contract-target.ts
  // allows each test a minute.
  testTimeout: base.testTimeout,
  // One file at a time, each request after the last: far below the stage's throttling (50 requests a second
  // per method by default), so no 429 answers a test.
  maxWorkers: 1,
  projects: [
    {
      ...e2e,
      displayName: 'cloud',
      testMatch: ['<rootDir>/tests/e2e/contract/**/*.test.ts'],
      // Nothing to build: the stack is deployed. Points the contract target at the users file.
      globalSetup: undefined,
      globalTeardown: undefined,
      setupFiles: [...e2e.setupFiles, '<rootDir>/tests/e2e/support/cloud-target-environment.ts'],
    },
  ],
};
