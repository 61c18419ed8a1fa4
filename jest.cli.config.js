/**
 * CLI suite (`npm run test:cli`): the commands as users run them, as child processes:
 * `cdk8s synth` and `npm run synth` in a copy of the repository, and scripts/run-bundle.js.
 * Slow (tens of seconds), so not in `npm test`, which checks the same behaviour in-process.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/cli'],
  testMatch: ['**/*.test.ts'],
  // Transpile only: `npm test` type-checks these files with the rest of the project.
  transform: { '^.+\\.ts$': 'ts-jest' },
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  // A synth of the whole app in a child process takes seconds, more on a loaded machine.
  testTimeout: 120000,
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
};
