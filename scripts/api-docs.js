#!/usr/bin/env node
// `npm run docs`: the API reference in docs/api/, from the jsii assembly
// (.jsii, written by `npm run build`): one file per language, by jsii-docgen,
// and an index (README.md) that lists each public type under its layer.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'docs', 'api');
const LANGUAGES = [
  ['typescript', 'TypeScript'],
  ['python', 'Python'],
  ['java', 'Java'],
  ['csharp', 'C#'],
  ['go', 'Go'],
];
const LAYERS = [
  ['core', 'cdk8s-voting-app/core', 'the building blocks: constructs and value objects for any set of microservices'],
  ['voting-app', 'cdk8s-voting-app/voting-app', "Docker's voting app, built from the building blocks"],
  ['synth', 'cdk8s-voting-app/synth', "synthesis: writing an App's charts all or nothing, after checking its wiring"],
];

const assemblyFile = path.join(root, '.jsii');
if (!fs.existsSync(assemblyFile)) {
  process.stderr.write('no .jsii assembly: run `npm run build` first\n');
  process.exit(1);
}
const assembly = JSON.parse(fs.readFileSync(assemblyFile, 'utf-8'));

// Written beside docs/api and swapped in whole, so a failed run leaves the committed reference as it was.
const staging = `${out}.staging`;
fs.rmSync(staging, { recursive: true, force: true });
fs.mkdirSync(staging, { recursive: true });
const docgen = path.join(root, 'node_modules', '.bin', 'jsii-docgen');
const r = spawnSync(docgen, [...LANGUAGES.flatMap(([l]) => ['-l', l]), '-o', path.join(staging, 'API.md')], { cwd: root, encoding: 'utf-8' });
if (r.status !== 0) {
  fs.rmSync(staging, { recursive: true, force: true });
  process.stderr.write(`${r.stdout}${r.stderr}\njsii-docgen failed\n`);
  process.exit(r.status ?? 1);
}
for (const [language] of LANGUAGES) {
  fs.renameSync(path.join(staging, `API.${language}.md`), path.join(staging, `${language}.md`));
}

/** What a type is, as the index names it. */
function kindOf(type) {
  if (type.kind === 'enum') {
    return 'enum';
  }
  if (type.kind === 'interface') {
    return type.datatype ? 'props (struct)' : 'interface';
  }
  let base = type.base;
  while (base && assembly.types[base]) {
    base = assembly.types[base].base;
  }
  return base === 'constructs.Construct' || base === 'cdk8s.Chart' ? 'construct' : 'class';
}

const types = Object.values(assembly.types);
const lines = [
  '# API reference',
  '',
  `Written by \`npm run docs\` from the jsii assembly of ${assembly.name} ${assembly.version}: do not edit.`,
  'Every public type, by layer, with its reference in each language the library is built for.',
  'In Python the package is `cdk8s_voting_app`, members are in snake_case and props are keyword arguments.',
  '',
];
for (const [folder, entry, what] of LAYERS) {
  const inLayer = types.filter(t => t.locationInModule.filename.startsWith(`lib/${folder}/`)).sort((a, b) => a.name.localeCompare(b.name));
  lines.push(`## ${folder}`, '', `\`${entry}\`: ${what}.`, '', '| type | kind | summary | reference |', '|---|---|---|---|');
  for (const t of inLayer) {
    const summary = (t.docs?.summary ?? '').replace(/\|/g, '\\|').replace(/\{@link ([^}\s]+)\s*\}/g, '`$1`').replace(/\n/g, ' ');
    lines.push(`| ${t.name} | ${kindOf(t)} | ${summary} | ${LANGUAGES.map(([l, name]) => `[${name}](${l}.md#${t.fqn})`).join(' · ')} |`);
  }
  lines.push('');
}
const outside = types.filter(t => !LAYERS.some(([folder]) => t.locationInModule.filename.startsWith(`lib/${folder}/`)));
if (outside.length > 0) {
  fs.rmSync(staging, { recursive: true, force: true });
  process.stderr.write(`public types outside the three layers: ${outside.map(t => `${t.name} (${t.locationInModule.filename})`).join(', ')}\n`);
  process.exit(1);
}
fs.writeFileSync(path.join(staging, 'README.md'), lines.join('\n'));
fs.rmSync(out, { recursive: true, force: true });
fs.renameSync(staging, out);
process.stdout.write(`docs/api: ${types.length} public types, in ${LANGUAGES.length} languages\n`);
