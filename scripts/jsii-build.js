#!/usr/bin/env node
// `npm run build`: compiles the library with jsii (the JavaScript, the .d.ts
// files and the .jsii assembly the language packages are made from) and fails
// on every jsii warning except the ones listed in ACCEPTED, each of which jsii
// raises for a name the generated bindings handle without a rename.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

// jsii warns about any member named like a keyword of some target language,
// whatever that language's binding turns it into. These two never clash as
// properties: C# and Go write properties in PascalCase (`Namespace`, `Type`),
// and a keyword is lower case. cdk8s's own `namespace` props draw the same
// warning. A parameter keeps its lower-case name in those languages, so a
// warning is accepted only where the flagged line declares a readonly property
// or a static method (PascalCase too: `ExternalObjects.Namespace`).
const ACCEPTED = [
  { warning: /warning JSII5018: "namespace" is a reserved word in C#\./, name: 'namespace' },
  { warning: /warning JSII5018: "type" is a reserved word in Go\./, name: 'type' },
];

/** Whether `warning` (`file:line:col - warning ...`) is one of ACCEPTED, on a readonly property of that name. */
function accepted(warning) {
  const where = /^(\S+?):(\d+):\d+ - /.exec(warning.trim());
  const rule = ACCEPTED.find(a => a.warning.test(warning));
  if (!where || !rule) {
    return false;
  }
  let line;
  try {
    line = fs.readFileSync(path.resolve(root, where[1]), 'utf-8').split('\n')[Number(where[2]) - 1] ?? '';
  } catch {
    return false; // a place this script cannot read is not accepted
  }
  // A static method is written in PascalCase by C# and Go as well (`ExternalObjects.Namespace`).
  return new RegExp(`^\\s*(public\\s+)?(readonly\\s+${rule.name}\\??:|static\\s+${rule.name}\\()`).test(line);
}

const jsii = path.join(root, 'node_modules', '.bin', 'jsii');
const r = spawnSync(jsii, ['--project', root], { cwd: root, encoding: 'utf-8', env: { ...process.env, FORCE_COLOR: '0' } });
if (r.error) {
  throw r.error;
}
const output = `${r.stdout}${r.stderr}`;
const warnings = output.split('\n').filter(l => /\bwarning JSII\d+/.test(l));
const unexpected = warnings.filter(w => !accepted(w));
if (r.status !== 0) {
  process.stderr.write(`${output}\njsii failed: fix the errors above (docs/jsii.md says what jsii cannot express and how the API is shaped for it).\n`);
  process.exit(r.status ?? 1);
}
if (unexpected.length > 0) {
  process.stderr.write(output);
  process.stderr.write(`\njsii compiled, with ${unexpected.length} warning${unexpected.length === 1 ? '' : 's'} that point at a portability problem:\n${unexpected.map(w => `  ${w.trim()}`).join('\n')}\nRename the member (docs/jsii.md), or, if the bindings handle the name, add it to ACCEPTED in scripts/jsii-build.js with the reason.\n`);
  process.exit(1);
}
process.stderr.write(`jsii: compiled lib/ into build/ and the assembly .jsii (${warnings.length} accepted warning${warnings.length === 1 ? '' : 's'}: names listed in scripts/jsii-build.js)\n`);
