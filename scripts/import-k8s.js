#!/usr/bin/env node
// Regenerates imports/k8s.ts the way `cdk8s import` does, but offline.
//
// `cdk8s import k8s@1.28.0` downloads the schema from the internet, which this
// project's machines cannot reach. The importer itself works offline when its
// `download` helper is handed a local file, so we point it at a local copy of
// the very same schema (kubernetes-schemas/v1.28.0/_definitions.json of the
// cdk8s repository). Maintainers run this; build, synth and test never do.
//
// Usage: npm run import -- [path/to/_definitions.json]
//        (default: $K8S_SCHEMA or ../shared/k8s/v<version>/_definitions.json)
'use strict';
const fs = require('fs');
const path = require('path');
const yaml = require('yaml');

const root = path.resolve(__dirname, '..');
const config = yaml.parse(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf-8'));
const spec = (config.imports || []).find((i) => /^k8s@\d+\.\d+\.\d+$/.test(i));
if (!spec) {
  console.error('cdk8s.yaml must pin the Kubernetes API version, e.g. "imports: [k8s@1.28.0]"');
  process.exit(1);
}
const version = spec.split('@')[1];
const schemaPath = path.resolve(
  process.argv[2] || process.env.K8S_SCHEMA || path.join(root, '..', 'shared', 'k8s', `v${version}`, '_definitions.json'),
);
if (!fs.existsSync(schemaPath)) {
  console.error(`Kubernetes ${version} schema not found at ${schemaPath}; pass its path as the first argument.`);
  process.exit(1);
}

// cdk8s-cli does not export its internals; resolve them by file path.
const cli = path.dirname(require.resolve('cdk8s-cli/package.json'));
const util = require(path.join(cli, 'lib', 'util'));
util.download = async () => fs.readFileSync(schemaPath, 'utf-8');
const { importDispatch } = require(path.join(cli, 'lib', 'import', 'dispatch'));

process.chdir(root);
importDispatch([{ source: spec }], {}, { outdir: 'imports', targetLanguage: 'typescript', save: false })
  .then(() => console.error(`imports/k8s.ts generated from ${schemaPath}`))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
