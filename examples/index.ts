// The seed examples: each a chart in its own namespace, synthesized into dist/examples/.
export * from './webapp';
export * from './backend';
export * from './external-database';
export * from './shop';
export * from './voting-app-rds';
