/** Packaging suite: builds the tarball and a separate app against it (slow: runs npm). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/package'],
  testMatch: ['**/*.test.ts'],
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 300000,
};
