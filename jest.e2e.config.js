/**
 * End-to-end suite: a real control plane (etcd, kube-apiserver, controller-manager,
 * scheduler, kwok) started by the suite itself. `npm run test:e2e` builds the binaries first
 * (tools/control-plane/build.sh, cached outside the repository).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/e2e'],
  testMatch: ['**/*.test.ts'],
  // Transpile only (tsconfig has isolatedModules); `npm run build` type-checks these files.
  transform: { '^.+\\.ts$': 'ts-jest' },
  // One control plane at a time; the steps of a file share it and run in order.
  maxWorkers: 1,
  testTimeout: 300000,
  verbose: true,
  reporters: ['default', '<rootDir>/__tests__/e2e/support/summary-reporter.js'],
};
