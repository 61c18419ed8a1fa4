// The public API of the construct library, layer by layer.
export * from './core';
export * from './voting-app';
export * from './synth';
