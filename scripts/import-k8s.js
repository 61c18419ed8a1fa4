#!/usr/bin/env node
// Regenerates imports/k8s.ts the way `cdk8s import` does, but offline.
//
// `cdk8s import k8s@1.28.0` downloads the schema from the internet, which this
// project's machines cannot reach. The importer itself works offline when its
// `download` helper is handed a local file, so we point it at a local copy of
// the very same schema (kubernetes-schemas/v1.28.0/_definitions.json of the
// cdk8s repository). Maintainers run this; build, synth and test never do.
//
// One change to what the importer writes: json2jsii's converters drop
// undefined fields, of each object and of each map field (labels, data), with
// `Object.entries(x).reduce((r, i) => ({ ...r, ... }))`, which copies the
// object once per field. Every ApiObject.toJson() runs those converters, and
// at 16,000 objects (a 1000-tenant fleet) the copies cost about 150 ms (on
// the machine of the first measurements, docs/performance.md). `linearConverters` makes each converter assign only the
// fields that are defined, one by one, in schema order, instead of building
// an object of every field of the schema (a Container has 24) and filtering
// it; map fields get single-pass helpers. Same fields, same order; the drift
// check in CI still regenerates and compares the whole file.
//
// And one more: each class hands ApiObject `{ ...KubeX.GVK, ...props }`. On
// Node 20, V8 gives every object made by two spreads a hidden class of its
// own, so each read of it misses V8's caches; `propsWithoutSpreads` builds the
// same object with Object.assign (docs/performance.md, "Spreads on Node 20").
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

const QUADRATIC_FILTER = '  return Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});';
const HELPER = `
/**
 * The fields of \`obj\` (a map field: labels, data) that are not undefined,
 * in the same order. Added by scripts/import-k8s.js in place of json2jsii's
 * filter, which copies the object once per field.
 */
function withoutUndefined(obj: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (value !== undefined) {
      // Every map value goes through here: the common case without a call.
      if (key === '__proto__') {
        setField(out, key, value);
      } else {
        out[key] = value;
      }
    }
  }
  return out;
}

/**
 * \`convert\` applied to each field of \`obj\` that is not undefined, in the
 * same order. Added by scripts/import-k8s.js in place of json2jsii's
 * map-field converter, which copies the object once per field.
 */
function mapDefined<T, U>(obj: Record<string, T>, convert: (value: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const key of Object.keys(obj)) {
    if (obj[key] !== undefined) {
      setField(out, key, convert(obj[key]));
    }
  }
  return out;
}

/** \`out[key] = value\`, except that a \`__proto__\` key (a label, a ConfigMap key) becomes a field, as json2jsii's spread makes it, not the prototype. */
function setField<T>(out: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[key] = value;
  }
}`;

// json2jsii's converter of a map field (labels, ConfigMap data, ...), `EXPR` being the conversion of one value `i[1]`.
const QUADRATIC_MAP = /Object\.entries\((obj\.\w+)\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: (.+?) \}\), \{\}\)/g;

// A converter's body as json2jsii writes it: an object of every field of the
// schema, one per line, then the filter.
const RESULT_OPEN = '  const result = {';
const RESULT_CLOSE = '  };';
const FILTER_COMMENT = '  // filter undefined values';
const RESULT_FIELD = /^ {4}'([^']+)': (.+),$/;

/**
 * The generated file with every converter assigning only its defined fields,
 * and every map field's converter made linear.
 */
function linearConverters(source) {
  const lines = source.split('\n');
  const converters = lines.filter((l) => l.startsWith('export function toJson_')).length;
  const filters = lines.filter((l) => l === QUADRATIC_FILTER).length;
  if (filters !== converters) {
    // json2jsii changed what it writes: look at the new output before adapting this step.
    throw new Error(`expected one undefined-filter per converter, found ${filters} filters for ${converters} converters`);
  }
  const imports = lines.findIndex((l) => l.startsWith("import { Construct } from 'constructs';"));
  if (imports < 0) {
    throw new Error('the generated file no longer imports Construct where expected');
  }
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== RESULT_OPEN) {
      out.push(lines[i].replace(QUADRATIC_MAP, linearMap));
      continue;
    }
    const close = lines.indexOf(RESULT_CLOSE, i);
    if (close < 0 || lines[close + 1] !== FILTER_COMMENT || lines[close + 2] !== QUADRATIC_FILTER) {
      throw new Error(`line ${i + 1}: a converter's result object is not followed by json2jsii's filter`);
    }
    const fields = lines.slice(i + 1, close);
    out.push('  const result: Record<string, any> = {};');
    if (fields.length > 0) {
      out.push('  let value: any;'); // unused, and so refused by tsc, in a converter without fields
    }
    for (const field of fields) {
      const m = RESULT_FIELD.exec(field);
      if (!m || m[1] === '__proto__') {
        throw new Error(`a converter's field in a form this script does not know: ${field}`);
      }
      out.push(`  if ((value = ${m[2].replace(QUADRATIC_MAP, linearMap)}) !== undefined) { result['${m[1]}'] = value; }`);
    }
    out.push('  return result;');
    i = close + 2;
  }
  const left = out.filter((l) => l.includes('.reduce(') || l === QUADRATIC_FILTER).length;
  if (left > 0) {
    throw new Error(`${left} line(s) of the generated file still reduce in a form this script does not know`);
  }
  out.splice(imports + 1, 0, ...HELPER.split('\n'));
  return out.join('\n');
}

// What json2jsii writes in each class's constructor.
const SPREAD_SUPER = /super\(scope, id, \{\n {6}\.\.\.(Kube\w+)\.GVK,\n {6}\.\.\.props,\n {4}\}\);/g;

/** The generated file with each class's props merged with its kind by Object.assign. */
function propsWithoutSpreads(source) {
  const classes = (source.match(/^export class Kube\w+ extends ApiObject \{$/gm) || []).length;
  let replaced = 0;
  const out = source.replace(SPREAD_SUPER, (_match, kube) => {
    replaced++;
    return `super(scope, id, Object.assign({}, ${kube}.GVK, props));`;
  });
  if (replaced !== classes) {
    // json2jsii changed what it writes: look at the new output before adapting this step.
    throw new Error(`expected one props spread per class, replaced ${replaced} in ${classes} classes`);
  }
  return out;
}

function linearMap(_match, field, expr) {
  if (expr === 'i[1]') {
    return `withoutUndefined(${field})`;
  }
  const convert = expr.split('i[1]').join('v');
  if (convert.includes('i[')) {
    throw new Error(`unexpected map-field conversion: ${expr}`);
  }
  return `mapDefined(${field}, (v) => ${convert})`;
}

process.chdir(root);
importDispatch([{ source: spec }], {}, { outdir: 'imports', targetLanguage: 'typescript', save: false })
  .then(() => {
    const file = path.join(root, 'imports', 'k8s.ts');
    fs.writeFileSync(file, propsWithoutSpreads(linearConverters(fs.readFileSync(file, 'utf-8'))));
    console.error(`imports/k8s.ts generated from ${schemaPath}`);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
