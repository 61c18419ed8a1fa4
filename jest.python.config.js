/** Python suite: the library's wheel, used from Python (run it with `npm run test:python`, which builds the wheel). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/python'],
  testMatch: ['**/*.test.ts'],
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 120000,
};
