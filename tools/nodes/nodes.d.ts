// Types of nodes.js, for the e2e suite.

/** host:port of the local registry, inside the cluster's lan namespace. */
export const REGISTRY: string;
