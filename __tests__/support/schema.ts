/**
 * Validation of synthesized objects against the Kubernetes 1.28 OpenAPI
 * schema, offline and strict (an unknown field is an error, as with
 * `kubectl --validate=strict`).
 *
 * The validator is kubernetes-validate from PyPI: it ships the 1.28.0 schemas
 * converted from Kubernetes' own OpenAPI document in a strict flavour
 * (`additionalProperties: false`). No npm package ships 1.28 schemas that
 * reject unknown fields: the kubernetes-models validators accept them and
 * jump from 1.27 to 1.33.
 *
 * So that `npm ci && npm test` is all a newcomer runs, the first run installs
 * the pinned validator with pip into node_modules/.cache (gone with the next
 * `npm ci`, like everything else npm installed) and later runs reuse it.
 * It needs python3 (>= 3.9) with pip, which every machine of this project has.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The Kubernetes version every object must be valid for. */
export const KUBERNETES_VERSION = '1.28.0';

/**
 * The validator and its dependencies, pinned like a lockfile so that its
 * messages (which tests assert) do not change under us.
 */
export const VALIDATOR_REQUIREMENTS = [
  'kubernetes-validate==1.37.0',
  'jsonschema==4.26.0',
  'jsonschema-specifications==2025.9.1',
  'referencing==0.37.0',
  'rpds-py==2026.9.1',
  'attrs==26.1.0',
  'PyYAML==6.0.3',
  'packaging==26.3',
  'typing-extensions==4.16.0',
  'importlib-resources==7.1.0',
];

const ROOT = path.resolve(__dirname, '..', '..');
/** Where the validator is installed; SCHEMA_VALIDATOR_DIR moves it (e.g. to a CI cache). */
const INSTALL_DIR = process.env.SCHEMA_VALIDATOR_DIR ?? path.join(ROOT, 'node_modules', '.cache', 'kubernetes-validate-1.37.0');
const READY_MARKER = path.join(INSTALL_DIR, '.installed');
const PYTHON = process.env.PYTHON ?? 'python3';

/** Files `kubectl apply -f DIR -R` reads: every one must hold valid objects. */
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** One object that does not conform. */
export interface SchemaProblem {
  /** Where it came from: a file and document number, or a label given by the test. */
  readonly source: string;
  /** `Kind namespace/name`, as far as the object tells. */
  readonly object: string;
  /** The first violation, `path: message`. */
  readonly message: string;
}

/** The outcome of validating a batch. */
export interface SchemaReport {
  /** How many objects were validated. */
  readonly checked: number;
  /** Objects checked, by source. */
  readonly objectsBySource: Record<string, number>;
  /** The objects that do not conform; empty when all do. */
  readonly problems: SchemaProblem[];
}

/** A synthesized object to validate, and a label naming where it came from. */
export interface SchemaInput {
  readonly source: string;
  readonly object: unknown;
}

// Runs in python3: validates every object with kubernetes-validate's strict
// schemas for the requested version (a custom resource with the schema of its
// CustomResourceDefinition in the same batch), and prints one JSON result per object.
const DRIVER = String.raw`
import functools, json, sys
import jsonschema
import yaml
import kubernetes_validate as kv
from kubernetes_validate import utils
from kubernetes_validate.utils import major_minor

# validate() re-reads the 1 MB definitions file and lists the schema folders
# for every object; both are pure reads of the pinned package, so cache them
# (a 4x speed-up, same results).
for name in ("schema_contents", "all_versions"):
    if hasattr(utils, name):
        setattr(utils, name, functools.lru_cache(maxsize=None)(getattr(utils, name)))

request = json.load(sys.stdin)
version = request["version"]
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
results = []

def describe(doc):
    meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
    ns = meta.get("namespace")
    return "%s %s%s" % (doc.get("kind", "?"), ns + "/" if ns else "", meta.get("name", "?"))

# Custom resources: checked against the schema of their CustomResourceDefinition in the same
# batch, strictly (an unknown field is an error, as the API server's strict field validation
# says for a structural schema without x-kubernetes-preserve-unknown-fields), and for scope.
crds = {}

def strict(schema):
    if not isinstance(schema, dict):
        return schema
    out = {k: strict(v) if k in ("items", "additionalProperties") else v for k, v in schema.items()}
    if "properties" in schema:
        out["properties"] = {k: strict(v) for k, v in schema["properties"].items()}
    if schema.get("type") == "object" and "additionalProperties" not in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
        out["additionalProperties"] = False
    return out

def learn(doc):
    if isinstance(doc, dict) and doc.get("apiVersion") == "apiextensions.k8s.io/v1" and doc.get("kind") == "CustomResourceDefinition":
        spec = doc.get("spec", {})
        for v in spec.get("versions", []):
            root = strict(v.get("schema", {}).get("openAPIV3Schema", {}))
            # The API server checks these itself, metadata as an ObjectMeta.
            root["properties"] = {**root.get("properties", {}), "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"}}
            crds[("%s/%s" % (spec.get("group"), v.get("name")), spec.get("names", {}).get("kind"))] = (root, spec.get("scope"))

def check_custom(doc, crd):
    schema, scope = crd
    try:
        jsonschema.validate(doc, schema)
    except jsonschema.ValidationError as e:
        return "%s: %s" % (".".join(str(p) for p in e.absolute_path) or "(root)", e.message)
    if scope == "Cluster" and doc.get("metadata", {}).get("namespace"):
        return "metadata.namespace: kind %s is cluster-scoped" % doc["kind"]
    return None

def check(source, doc):
    if not isinstance(doc, dict) or not isinstance(doc.get("apiVersion"), str) or not isinstance(doc.get("kind"), str):
        results.append({"source": source, "object": "?", "error": "not a Kubernetes object: no apiVersion and kind"})
        return
    crd = crds.get((doc["apiVersion"], doc["kind"]))
    if crd is not None:
        results.append({"source": source, "object": describe(doc), "error": check_custom(doc, crd)})
        return
    error = None
    try:
        used = kv.validate(doc, version, strict=True)
        if used != major_minor(version):
            error = "validated against the %s schemas, not %s" % (used, major_minor(version))
    except kv.ValidationError as e:
        where = ".".join(str(p) for p in e.absolute_path) or "(root)"
        error = "%s: %s" % (where, e.message)
    except kv.SchemaNotFoundError as e:
        error = e.message
    results.append({"source": source, "object": describe(doc), "error": error})

loaded = []
for item in request["items"]:
    if "file" in item:
        try:
            with open(item["file"]) as f:
                docs = [d for d in yaml.load_all(f, Loader=loader) if d is not None]
        except (OSError, yaml.YAMLError) as e:
            results.append({"source": item["source"], "object": "?", "error": "unreadable: %s" % e})
            continue
        if not docs:
            results.append({"source": item["source"], "object": "?", "error": "holds no object"})
        loaded += [("%s#%d" % (item["source"], i + 1), doc) for i, doc in enumerate(docs)]
    else:
        loaded.append((item["source"], item["object"]))
for _, doc in loaded:
    learn(doc)
for source, doc in loaded:
    check(source, doc)

json.dump({"validator": kv.__version__, "results": results}, sys.stdout)
`;

/**
 * Installs the pinned validator into node_modules/.cache unless it is there.
 * Safe when several jest workers call it at once: each installs into its own
 * folder and the first to finish wins the rename.
 */
let installError: Error | undefined;

export function ensureValidator(): void {
  if (fs.existsSync(READY_MARKER)) {
    return;
  }
  if (installError) {
    throw installError; // tried once in this test file already; pip would only fail again, slowly
  }
  const staging = `${INSTALL_DIR}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const pip = spawnSync(PYTHON, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet',
    '--target', staging, ...VALIDATOR_REQUIREMENTS], { encoding: 'utf8', timeout: 600_000 });
  if (pip.error || pip.status !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw installError = new Error([
      `Could not install the Kubernetes schema validator (${VALIDATOR_REQUIREMENTS[0]}) from PyPI into ${INSTALL_DIR}.`,
      `It needs ${PYTHON} (>= 3.9) with pip, and PyPI reachable once; set PYTHON to use another interpreter.`,
      pip.error ? String(pip.error) : `${pip.stderr}${pip.stdout}`,
    ].join('\n'));
  }
  fs.writeFileSync(path.join(staging, '.installed'), `${VALIDATOR_REQUIREMENTS.join('\n')}\n`);
  try {
    fs.renameSync(staging, INSTALL_DIR);
  } catch (e) {
    // Another worker finished first: use its copy.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(READY_MARKER)) {
      throw e;
    }
  }
}

function run(items: Array<{ source: string; object?: unknown; file?: string }>): SchemaReport {
  ensureValidator();
  const child = spawnSync(PYTHON, ['-c', DRIVER], {
    input: JSON.stringify({ version: KUBERNETES_VERSION, items }),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 300_000,
    env: { ...process.env, PYTHONPATH: INSTALL_DIR, PYTHONNOUSERSITE: '1' },
  });
  if (child.error || child.status !== 0) {
    throw new Error(`the schema validator failed to run: ${child.error ?? child.stderr}`);
  }
  const { results } = JSON.parse(child.stdout) as { results: Array<{ source: string; object: string; error: string | null }> };
  const objectsBySource: Record<string, number> = {};
  for (const r of results) {
    const source = r.source.replace(/#\d+$/, '');
    objectsBySource[source] = (objectsBySource[source] ?? 0) + (r.object === '?' ? 0 : 1);
  }
  return {
    checked: results.length,
    objectsBySource,
    problems: results.filter(r => r.error !== null).map(r => ({ source: r.source, object: r.object, message: r.error as string })),
  };
}

/**
 * Validates objects synthesized in memory (e.g. `chart.toJson()`) and every
 * document of every file, parsed as YAML 1.1 like the API server's own loader
 * does (so `on`/`yes` would be read as the cluster reads them). One call is one
 * python process: starting it and loading the schemas is most of the time.
 */
export function validate(batch: { objects?: readonly SchemaInput[]; files?: readonly string[] }): SchemaReport {
  return run([
    ...(batch.objects ?? []).map(i => ({ source: i.source, object: i.object })),
    ...(batch.files ?? []).map(f => ({ source: path.relative(ROOT, f) || f, file: path.resolve(f) })),
  ]);
}

/** Every file under `dir`, recursively, sorted; none if `dir` does not exist. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap(e => e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)])
    .sort();
}

/** One line per problem, for readable test failures. */
export function formatProblems(problems: readonly SchemaProblem[]): string[] {
  return problems.map(p => `${p.source} (${p.object}) ${p.message}`);
}
