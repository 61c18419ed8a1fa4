/**
 * Finding the diagrams to draw in a dist/ folder, and reading their manifests.
 *
 * One diagram per folder that holds manifests: the files directly in dist/
 * form one diagram, and every subfolder (at any depth) forms its own, because
 * each folder is what one `kubectl apply -f <folder>` would create together.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { isObject, JsonObject } from '../../lib/core/model';
import { PARENT_FOLDER } from '../../lib/synth/applyset';

/** One document of a manifest file, with the file it came from. */
export interface Manifest {
  readonly file: string;
  readonly doc: JsonObject;
}

export interface DiagramSource {
  /** File name stem under docs/diagrams/, e.g. `voting-app` or `production`. */
  readonly name: string;
  /** The folder, as given (relative paths stay relative, for stable text in the picture). */
  readonly dir: string;
  /** Manifest files directly in that folder, sorted. */
  readonly files: string[];
}

const MANIFEST = /\.ya?ml$/i;

function stem(file: string): string {
  return path.basename(file).replace(/(\.k8s)?\.ya?ml$/i, '');
}

function manifestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(e => e.isFile() && MANIFEST.test(e.name))
    .map(e => path.join(dir, e.name))
    .sort();
}

/** The subfolders of a folder, without the one of its ApplySet parents, which is not a stack (docs/upgrades.md). */
function subfolders(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(e => e.isDirectory() && e.name !== PARENT_FOLDER)
    .map(e => path.join(dir, e.name))
    .sort();
}

/** Whether a file is the keep file of another file in the list (`voting-app-keep.k8s.yaml` beside `voting-app.k8s.yaml`). */
function isKeepFile(file: string, files: string[]): boolean {
  const m = /^(.*)-keep((\.k8s)?\.ya?ml)$/i.exec(file);
  return m !== null && files.includes(`${m[1]}${m[2]}`);
}

/**
 * The diagrams a dist folder yields. The top level is named after its only
 * file (dist/voting-app.k8s.yaml -> `voting-app`; a keep file beside it, with its
 * Namespaces and claims, does not count), or after the folder when it
 * has several; a subfolder is named by its path below dist, joined with `-`
 * (dist/production -> `production`, dist/fleets/eu -> `fleets-eu`).
 */
export function discoverSources(distDir: string): DiagramSource[] {
  if (!fs.existsSync(distDir) || !fs.statSync(distDir).isDirectory()) {
    throw new Error(`${distDir} is not a folder: run \`npm run synth\` first`);
  }
  const sources: DiagramSource[] = [];
  const walk = (dir: string): void => {
    const files = manifestFiles(dir);
    if (files.length > 0) {
      const rel = path.relative(distDir, dir);
      const stacks = files.filter(f => !isKeepFile(f, files));
      const name = rel === '' ? (stacks.length === 1 ? stem(stacks[0]) : path.basename(path.resolve(distDir))) : rel.split(path.sep).join('-');
      sources.push({ name, dir, files });
    }
    subfolders(dir).forEach(walk);
  };
  walk(distDir);
  const byName = new Map<string, DiagramSource>();
  for (const s of sources) {
    const clash = byName.get(s.name);
    if (clash) throw new Error(`two diagrams would be named "${s.name}": ${clash.dir} and ${s.dir}; rename one of them`);
    byName.set(s.name, s);
  }
  return sources;
}

/** Parse every YAML document of the given files; empty documents are skipped, syntax errors are fatal. */
export function loadManifests(files: string[]): Manifest[] {
  const out: Manifest[] = [];
  for (const file of files) {
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
    // An empty stream parses to a single EmptyStream value, not an array.
    for (const doc of Array.isArray(docs) ? docs : []) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
      const value: unknown = doc.toJS();
      if (isObject(value)) out.push({ file, doc: value });
    }
  }
  return out;
}
