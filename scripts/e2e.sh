#!/usr/bin/env bash
# npm run test:e2e: both tiers (simulated nodes, real nodes) on clusters the suite starts
# itself, after building the binaries and images once (cached); or, with E2E_KUBECONFIG set,
# the real-node tier and the load tier against that existing cluster (kind, minikube), with the
# stock images (the load tier only where the cluster gives LoadBalancer addresses).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${E2E_KUBECONFIG:-}" ]; then
  exec npx jest --config jest.e2e.config.js __tests__/e2e/real-nodes.e2e.test.ts __tests__/e2e/load.e2e.test.ts "$@"
fi
bash tools/control-plane/build.sh >/dev/null
exec npx jest --config jest.e2e.config.js "$@"
