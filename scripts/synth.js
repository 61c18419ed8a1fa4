#!/usr/bin/env node
// `npm run synth`: runs the compiled app, rebuilding it first only when a
// source is newer. esbuild transpiles without type-checking (tsc does that in
// `npm test`), so a synth costs a node start, not a TypeScript compile. The
// bundle takes in cdk8s and cdk8s-plus too: one file, with what the app does
// not use left out, loads in about 40 ms less than resolving and compiling
// their packages module by module. It runs with V8's code cache
// (scripts/run-bundle.js), which saves compiling it again on every synth.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'build', 'synth.js');
const sources = ['main.ts', 'app', 'lib', 'examples', 'imports', 'package-lock.json'];

function newest(p) {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  return Math.max(0, ...fs.readdirSync(p).map(f => newest(path.join(p, f))));
}

const built = fs.existsSync(out) ? fs.statSync(out).mtimeMs : 0;
if (sources.some(s => newest(path.join(root, s)) > built)) {
  require('esbuild').buildSync({
    entryPoints: [path.join(root, 'main.ts')],
    bundle: true,
    platform: 'node',
    outfile: out,
    logLevel: 'warning',
  });
}
require('./run-bundle').runBundle(out);
