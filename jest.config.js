/**
 * Fast suite: unit, snapshot and schema tests. The CLI (child processes), package and e2e
 * suites have configs of their own.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/__tests__/cli/', '/__tests__/e2e/', '/__tests__/package/', '/__tests__/python/'],
  // Transpile only: `npm test` type-checks the whole project with tsc first.
  // One worker per core: the schema tests wait on a validator process, so the
  // default (cores - 1) leaves a core idle. 11 s -> 8 s on 2 cores.
  maxWorkers: '100%',
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  transform: { "^.+\\.ts$": "ts-jest" },
  // Beside the other caches in node_modules, not in the temporary folder, which CI checks
  // for anything a test leaves behind.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
};
