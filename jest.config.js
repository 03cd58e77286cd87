/** Projects: pure unit tests, workflow tests on the time-skipping server, e2e over HTTP, the console in a browser, reliability. */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
module.exports = {
  // Hooks start real services and workers; on a loaded 2-core machine 5 s is not enough for them.
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{libs,activities,apps,scripts,test/unit}/**/*.spec.ts'],
      // The official OCDS schema the export is validated against: found, or downloaded and verified.
      globalSetup: '<rootDir>/test/support/unit-global-setup.ts',
    },
    {
      ...common,
      displayName: 'workflows',
      testMatch: ['<rootDir>/workflows/**/*.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/long-hooks.ts', '<rootDir>/test/support/workflow-retries.ts'],
      globalSetup: '<rootDir>/test/support/workflows-global-setup.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/long-hooks.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      // The web console in Debian's chromium (playwright-core) against the real stack and the development OpenID provider.
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/long-hooks.ts'],
      globalSetup: '<rootDir>/test/support/browser-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      // Crashes and restarts of the built system (dist/): RELIABILITY_PROFILE=ci (default) or full.
      // Its long timeouts are set in the spec (jest takes testTimeout only globally).
      displayName: 'reliability',
      testMatch: ['<rootDir>/test/reliability/**/*.rel-spec.ts'],
    },
    {
      ...common,
      // Only on the production topology (npm run test:cluster), which needs the server built with Go:
      // Temporal's own door, with TLS and authorization on.
      displayName: 'cluster',
      testMatch: ['<rootDir>/test/reliability/**/*.cluster-spec.ts'],
    },
  ],
};
