// The Kubernetes rules core checks props against, and synth's model checks
// manifests against. Internal: not exported from lib/core/index.ts.
export * from './names';
export * from './security';
export * from './credentials';
export * from './pod-security';
