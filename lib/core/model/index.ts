// The one model of Kubernetes rules over rendered manifests (plain JSON, as
// `ApiObject.toJson()` returns it or YAML parses to). The synth checks, the
// diagram (tools/diagram) and the tests' helpers all reason through it, so
// they cannot disagree. Internal: not exported from lib/synth/index.ts.
export * from './json';
export * from './objects';
export * from './names';
export * from './selectors';
export * from './pod-templates';
export * from './references';
export * from './services';
export * from './node-ports';
export * from './namespaces';
export * from './ip-blocks';
export * from './network-policies';
export * from './port-ranges';
export * from './manifest-index';
