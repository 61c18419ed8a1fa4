/**
 * End-to-end suites (`npm run test:e2e`, scripts/e2e.sh): the control plane with kwok's
 * simulated nodes (voting-app.e2e.test.ts; dry-run-judge.e2e.test.ts, generated stacks judged
 * by synth and by the API server), then real nodes running real containers
 * (real-nodes.e2e.test.ts, cluster-lifecycle.e2e.test.ts), and dist/production/ under load
 * and faults on real nodes (load.e2e.test.ts). Each file starts its own cluster;
 * tools/control-plane/build.sh builds the binaries and images first (cached outside the
 * repository). With E2E_KUBECONFIG, the real-node tier and the load tier run against that
 * cluster (the load tier where it has a load balancer implementation, without the drain and
 * the kubelet restart).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/e2e'],
  testMatch: ['**/*.test.ts'],
  // Transpile only (tsconfig has isolatedModules); `npm run build` type-checks these files.
  transform: { '^.+\\.ts$': 'ts-jest' },
  // One cluster at a time; the steps of a file share it and run in order.
  maxWorkers: 1,
  testTimeout: 300000,
  verbose: true,
  reporters: ['default', '<rootDir>/__tests__/e2e/support/summary-reporter.js'],
};
