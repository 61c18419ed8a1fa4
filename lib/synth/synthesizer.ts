import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { finding, Finding, formatProblem, isError, placed, ProblemReport } from '../core/problem';
import { ProblemCode } from '../core/problem-code';
import { Problems } from '../core/problems';
import { NodePortRange } from '../core/node-port-range';
import { ClusterDns } from '../core/cluster-dns';
import { appWideProblems, objectsInOrder, preparingDependencies, WiringChecks } from '../core/app-checks';
import { toYaml } from './yaml';
import { APPLYSET_KIND, parentFileOf, parentNameOf, parentObject, parentTypeDefinition } from './applyset';
import { isValidName } from '../core/rules';

const OUTPUT_FILE = 'cdk8s-voting-app:output-file';

/**
 * Sets the file, relative to the output folder, that a chart is written to,
 * e.g. `production/voting-app.k8s.yaml`. Returns the chart.
 */
export function outputFile<T extends Chart>(chart: T, file: string): T {
  // Checked at synth, with every other problem of the App.
  chart.node.addMetadata(OUTPUT_FILE, file);
  return chart;
}

/** `file` normalized, or the finding that it is not a .yaml path inside the output folder. */
function checkedOutputFile(file: string): { file?: string; finding?: Finding } {
  const normalized = path.normalize(file);
  if (path.isAbsolute(file) || normalized === '..' || normalized.startsWith(`..${path.sep}`) || !/.\.yaml$/.test(path.basename(normalized))) {
    return { finding: finding(ProblemCode.INVALID_VALUE, `output file "${file}" is not a relative .yaml path inside the output folder`, 'use a path such as "examples/webapp.k8s.yaml"') };
  }
  return { file: normalized };
}

/**
 * The label that keeps an object out of every ApplySet (kubectl refuses input
 * that already carries it), and takes it out of one it was made part of.
 */
const APPLYSET_PART_OF = 'applyset.kubernetes.io/part-of';
/** Its value on a kept object: no ApplySet has this id (theirs are `applyset-<hash>-v1`). */
const NEVER_PRUNED = 'never-pruned';

/** The kinds of a keep file: what an upgrade must never delete. */
const KEPT_KINDS = new Set(['Namespace', 'PersistentVolumeClaim']);

/**
 * The keep file of a chart's file: `voting-app.k8s.yaml` -> `voting-app-keep.k8s.yaml`.
 * `-` sorts before `.`, so `kubectl apply -f <folder>` applies it first.
 * @internal
 */
export function keepFileOf(file: string): string {
  const m = /^(.*?)((\.k8s)?\.yaml)$/.exec(file);
  return m ? `${m[1]}-keep${m[2]}` : `${file}-keep`;
}

/** Whether a rendered object goes to the keep file: a core/v1 Namespace or PersistentVolumeClaim. */
function isKept(json: unknown): json is { metadata?: { labels?: Record<string, string> } } {
  const o = json as { apiVersion?: unknown; kind?: unknown } | null;
  return o !== null && typeof o === 'object' && o.apiVersion === 'v1' && typeof o.kind === 'string' && KEPT_KINDS.has(o.kind);
}

/**
 * The object with the label that keeps it out of every ApplySet. Its metadata keeps the
 * order cdk8s writes, ObjectMeta's schema order, which is alphabetical; so are the labels.
 */
function keptCopy(json: { metadata?: { labels?: Record<string, string> } }): unknown {
  const sorted = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(o).sort().map(k => [k, o[k]]));
  const labels = sorted({ ...(json.metadata?.labels ?? {}), [APPLYSET_PART_OF]: NEVER_PRUNED });
  return { ...json, metadata: sorted({ ...json.metadata, labels }) };
}

/**
 * The file of the cluster-scoped ApplySet parent of a chart whose stack file
 * spans several namespaces, or undefined with the problem recorded: the
 * parent is named after the file, so the file's name must be a valid object
 * name, and no chart may write the parent's file.
 */
function clusterScopedParent(chart: Chart, file: string, charts: Array<{ file?: string }>, problems: ProblemReport[]): string | undefined {
  const parent = parentFileOf(file);
  const name = parentNameOf(file);
  if (!isValidName(APPLYSET_KIND, name)) {
    problems.push(placed(chart.node.path, finding(ProblemCode.INVALID_NAME,
      `the objects of ${file} span several namespaces, and the ApplySet parent that upgrades them is named after the file, but "${name}" is not a valid object name`,
      'name the file with lowercase letters, digits, "-" and ".", e.g. "fleet.k8s.yaml"')));
    return undefined;
  }
  if (charts.some(c => c.file === parent)) {
    problems.push(placed(chart.node.path, finding(ProblemCode.DUPLICATE, `the ApplySet parent of ${file} is written to ${parent}, which another chart writes`,
      'give that chart another file name')));
    return undefined;
  }
  return parent;
}

function defaultFileName(chart: Chart): string {
  const set = chart.node.metadata.find(m => m.type === OUTPUT_FILE);
  return set ? set.data as string : `${chart.node.id}.k8s.yaml`;
}

/** Options of {@link Synthesizer.synthesize}. */
export interface SynthesizeOptions {
  /**
   * The folder that receives the manifests; replaced as a whole, so synth
   * refuses the current folder, its parents, a symbolic link, and a folder
   * holding anything but YAML files.
   * @default - the App's outdir: `CDK8S_OUTDIR` when `cdk8s synth` runs the app, else `dist`
   */
  readonly outdir?: string;
  /**
   * Text written as comment lines at the top of every file.
   * @default - that the file is generated by cdk8s and not to be edited
   */
  readonly header?: string;
  /**
   * Writes each chart's Namespaces and PersistentVolumeClaims to a keep file
   * of their own beside the chart's file (`shop.k8s.yaml` ->
   * `shop-keep.k8s.yaml`, which `kubectl apply -f <folder>` applies first),
   * labelled `applyset.kubernetes.io/part-of: never-pruned`. The chart's own
   * file can then be applied with kubectl's ApplySet pruning
   * (`kubectl apply --prune --applyset=...`), which deletes what a newer
   * output no longer has: the keep file is applied without pruning, and
   * kubectl refuses to make the labelled objects part of an ApplySet, so an
   * upgrade never deletes a Namespace or a claim (docs/upgrades.md).
   *
   * A chart whose objects span several namespaces needs a cluster-scoped
   * ApplySet parent: its keep file also gets the parent's type (a
   * CustomResourceDefinition), and the parent itself, to be created once
   * (docs/upgrades.md), goes to `applyset/<file>` beside the chart's file
   * (`fleet/applyset/fleet.k8s.yaml`), where `kubectl apply -f <folder>`
   * does not read it.
   * @default false - every object in the chart's file
   */
  readonly keepFiles?: boolean;
}

/** {@link SynthesizeOptions} and what only this repository's own tests set (not exported by the package's index). */
export interface WriteOptions extends SynthesizeOptions {
  /**
   * The file (relative to `outdir`) each chart is written to.
   * @default - the file set with {@link Synthesizer.outputFile}, else `<chart id>.k8s.yaml`
   */
  readonly fileName?: (chart: Chart) => string;
}

/** Every problem found in an App, reported together: the problems as data, the message their text. */
export class SynthesisError extends Error {
  constructor(public readonly problems: ProblemReport[]) {
    const errors = problems.filter(isError).length;
    super(`synth failed with ${errors} problem${errors === 1 ? '' : 's'}; nothing was written:\n  - ${problems.map(formatProblem).join('\n  - ')}`);
    this.name = 'SynthesisError';
  }
}

const DEFAULT_HEADER = 'Generated by cdk8s. Do not edit: change the code and synthesize again.';

/**
 * The problems of the given constructs (an App's `node.findAll()`): those this
 * library's constructs recorded, as data, and the messages of any other
 * validation (cdk8s-plus's, a user's `node.addValidation`).
 */
export function constructProblems(constructs: IConstruct[]): ProblemReport[] {
  return Problems._collectingAsData(() => {
    const problems: ProblemReport[] = [];
    for (const c of constructs) {
      // Most of a fleet's tens of thousands of constructs have nothing: no spread of an empty list.
      const recorded = Problems._peek(c)?.all();
      if (recorded !== undefined && recorded.length > 0) {
        problems.push(...recorded);
      }
      for (const message of c.node.validate()) {
        problems.push(placed(c.node.path, { code: ProblemCode.CONSTRUCT_VALIDATION, problem: message, fix: '' }));
      }
    }
    return problems;
  });
}

/**
 * Runs every construct's own validations and the App-wide wiring checks
 * (selectors, target ports, references, node ports, connections) and returns all problems found.
 */
export function validateApp(app: App): ProblemReport[] {
  const constructs = app.node.findAll();
  const problems = constructProblems(constructs);
  chartFiles(constructs, defaultFileName, problems);
  return [...problems, ...appWideProblems(app, constructs)];
}

/**
 * The charts among `constructs`, each with the file it is written to; a
 * chart whose file name is invalid or taken by another has none, and the
 * problem is added to `problems`. Every chart is listed, so that it is still
 * rendered and checked.
 */
function chartFiles(constructs: IConstruct[], fileName: (chart: Chart) => string, problems: ProblemReport[], keepFiles = false): Array<{ chart: Chart; file?: string }> {
  const files = new Set<string>();
  // With keep files, each chart also reserves its keep file's name (written only when it has kept objects).
  const reserved = new Set<string>();
  const charts: Array<{ chart: Chart; file?: string }> = [];
  for (const chart of constructs.filter((c): c is Chart => Chart.isChart(c))) {
    const checked = checkedOutputFile(fileName(chart));
    let file = checked.file;
    if (checked.finding) {
      problems.push(placed(chart.node.path, checked.finding));
    }
    const taken = file === undefined ? undefined
      : files.has(file) || reserved.has(file) ? file
        : keepFiles && files.has(keepFileOf(file)) ? keepFileOf(file) : undefined;
    if (taken !== undefined) {
      problems.push(placed(chart.node.path, finding(ProblemCode.DUPLICATE, `two charts write ${taken}`, 'give each chart its own file name')));
      file = undefined;
    } else if (file !== undefined) {
      files.add(file);
      if (keepFiles) {
        reserved.add(keepFileOf(file));
      }
    }
    charts.push({ chart, file });
  }
  return charts;
}

/**
 * Writes one YAML file per chart, all or nothing: every object is rendered
 * once, written to a staging folder next to `outdir` as soon as it is
 * rendered, and checked; only when the whole App passes is the staging
 * folder swapped in. A failure leaves the previous output untouched. What a
 * killed synth left beside `outdir` is cleaned up first, and an output it
 * had moved aside is put back; so, as with `cdk8s synth`, one output folder
 * takes one synth at a time.
 *
 * Problems are reported together, in this order: the constructs' own
 * validations, the output file names, then the wiring checks. An App with
 * problems is reported as such even when the disk fails too.
 *
 * @returns the files written, relative to `outdir`
 */
export function synthesize(app: App, options: WriteOptions = {}): { files: string[]; warnings: ProblemReport[] } {
  const outdir = path.resolve(options.outdir ?? app.outdir);
  // The document marker after the header keeps files apart where they are joined,
  // as `cdk8s synth --stdout` does: each file's first object would run into the last one before it.
  // Each line of the header is a comment: a line break in it must not start a line of YAML.
  const header = `${(options.header ?? DEFAULT_HEADER).split(/\r?\n|\r/).map(line => `# ${line}`).join('\n')}\n---\n`;
  checkOutputFolder(outdir);
  recoverAbandoned(outdir);
  // One walk of the tree serves the validations and finds the charts.
  const constructs = app.node.findAll();
  const problems = constructProblems(constructs);
  // A chart without a file of its own is still rendered and checked, so that
  // every problem of the App is reported at once.
  const keepFiles = options.keepFiles ?? false;
  const charts = chartFiles(constructs, options.fileName ?? defaultFileName, problems, keepFiles);
  const written: string[] = [];

  const { staging, previous } = sideFolders(outdir);
  let hadPrevious = false;
  try {
    // Each manifest is written as soon as it is rendered and then dropped:
    // the checks keep only the few fields they need, not 16,000 manifests.
    // An App already known to fail is only checked, not written.
    const checks = new WiringChecks({ nodePortRange: NodePortRange.forScope(app), clusterDns: ClusterDns.forScope(app) });
    const prepare = preparingDependencies(app);
    let diskError: unknown;
    for (const { chart, file } of charts) {
      const write = file !== undefined && !problems.some(isError) && diskError === undefined;
      const out = write ? new StagedFile(path.join(staging, file), header) : undefined;
      // Opened at the chart's first kept object: most charts have none.
      let keep: StagedFile | undefined;
      const openKeep = (): StagedFile | undefined => {
        if (write && file !== undefined && keep === undefined) {
          keep = new StagedFile(path.join(staging, keepFileOf(file)), header);
        }
        return keep;
      };
      // The namespaces of the objects the stack file holds: more than one needs a cluster-scoped ApplySet parent.
      const namespaces = new Set<string>();
      try {
        for (const o of objectsInOrder(chart, prepare)) {
          const json = o.toJson();
          checks.add(o, json);
          if (keepFiles && isKept(json)) {
            openKeep()?.addDocument(toYaml(keptCopy(json)));
          } else {
            out?.addDocument(toYaml(json));
            const ns = (json as { metadata?: { namespace?: unknown } }).metadata?.namespace;
            if (keepFiles && typeof ns === 'string') {
              namespaces.add(ns);
            }
          }
        }
        if (file !== undefined && namespaces.size > 1) {
          const parent = clusterScopedParent(chart, file, charts, problems);
          if (parent !== undefined) {
            openKeep()?.addDocument(toYaml(keptCopy(parentTypeDefinition())));
            if (write) {
              const parentFile = new StagedFile(path.join(staging, parent), header);
              parentFile.addDocument(toYaml(parentObject(file)));
              diskError ??= parentFile.close();
            }
            written.push(parent);
          }
        }
      } finally {
        diskError ??= out?.close();
        diskError ??= keep?.close();
      }
      if (file !== undefined) {
        written.push(file);
        if (keep !== undefined) {
          written.push(keepFileOf(file));
        }
      }
    }
    problems.push(...checks.problems(constructs));
    if (problems.some(isError)) {
      throw new SynthesisError(problems);
    }
    if (diskError !== undefined) {
      throw diskError;
    }
    hadPrevious = fs.existsSync(outdir);
    if (hadPrevious) {
      fs.renameSync(outdir, previous);
    }
    try {
      fs.renameSync(staging, outdir);
    } catch (err) {
      if (hadPrevious) {
        fs.renameSync(previous, outdir); // put the previous output back
      }
      throw err;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  // The new output is in place; a previous copy that cannot be removed is only litter.
  if (hadPrevious) {
    try {
      fs.rmSync(previous, { recursive: true, force: true });
    } catch (err) {
      process.emitWarning(`synth wrote ${outdir} but could not remove the previous output at ${previous}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { files: written.sort(), warnings: problems };
}

const CHUNK = 1 << 20;

/**
 * A file of the staging folder, written in chunks: a fleet of 1000 tenants
 * is 16 MB of text, and holding it whole would add that much to peak memory.
 * The first error of the disk stops the writing and is returned by
 * {@link StagedFile.close}, so that rendering and checking go on and the
 * App's own problems, if any, are what synth reports.
 */
class StagedFile {
  private fd?: number;
  private error?: unknown;
  private chunk: string;
  private documents = 0;

  constructor(target: string, header: string) {
    this.chunk = header;
    this.attempt(() => {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      this.fd = fs.openSync(target, 'w');
    });
  }

  /** Appends one YAML document, after the marker that ends the one before. */
  public addDocument(yaml: string): void {
    this.add((this.documents++ === 0 ? '' : '---\n') + yaml);
  }

  /** Appends text, writing a chunk when one is full. */
  private add(text: string): void {
    this.chunk += text;
    if (this.chunk.length > CHUNK) {
      this.flush();
    }
  }

  /** Writes what is left and closes the file; returns the first error, if any. */
  public close(): unknown {
    this.flush();
    if (this.fd !== undefined) {
      try {
        fs.closeSync(this.fd); // also after an error: the descriptor is still open
      } catch (err) {
        this.error ??= err;
      }
      this.fd = undefined;
    }
    return this.error;
  }

  private flush(): void {
    const fd = this.fd;
    if (fd !== undefined) {
      this.attempt(() => writeAll(fd, this.chunk));
    }
    this.chunk = '';
  }

  /** Runs a step of writing, unless one has failed already; keeps the first error. */
  private attempt(step: () => void): void {
    if (this.error !== undefined) {
      return;
    }
    try {
      step();
    } catch (err) {
      this.error = err;
    }
  }
}

/** Writes all of `text`: a write to a nearly full disk may take only part of it without an error. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length;) {
    const written = fs.writeSync(fd, bytes, offset, bytes.length - offset);
    if (written <= 0) {
      throw new Error(`no progress writing ${bytes.length - offset} bytes`);
    }
    offset += written;
  }
}

/**
 * Throws unless `outdir` is a folder of synth output: it is replaced as a
 * whole, so the current folder, one of its parents, or a folder holding
 * anything but YAML files (a project, a home folder) would be lost.
 */
function checkOutputFolder(outdir: string): void {
  const cwd = process.cwd();
  const refuse = (problem: string, fix = 'choose an output folder of its own for the manifests, e.g. dist/'): never => {
    throw new SynthesisError([placed('', finding(ProblemCode.INVALID_VALUE,
      `output folder ${outdir} ${problem}, and synth replaces its output folder as a whole`, fix))]);
  };
  if (outdir === cwd || cwd.startsWith(outdir.endsWith(path.sep) ? outdir : outdir + path.sep)) {
    refuse('is the current folder or one of its parents');
  }
  const stat = fs.lstatSync(outdir, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) {
    // Replacing it would replace the link, not the folder it points to.
    const target = path.resolve(path.dirname(outdir), fs.readlinkSync(outdir));
    refuse(`is a symbolic link to ${target}`, `give the folder it points to, ${target}, as the output folder`);
  }
  if (stat !== undefined && !stat.isDirectory()) {
    refuse('is not a folder');
  }
  const foreign = foreignEntry(outdir);
  if (foreign !== undefined) {
    refuse(`holds ${path.relative(outdir, foreign)}, which is not a YAML file`);
  }
}

/** The first entry under `dir` that is neither a folder nor a YAML file, if any. */
function foreignEntry(dir: string): string | undefined {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined; // not there yet
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const found = entry.isDirectory() ? foreignEntry(full) : /\.ya?ml$/.test(entry.name) && entry.isFile() ? undefined : full;
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

/** The folders a synth keeps beside `outdir`: what it writes, and the output it moves aside. */
function sideFolders(outdir: string): { staging: string; previous: string } {
  return { staging: `${outdir}.staging`, previous: `${outdir}.previous` };
}

/**
 * Cleans up after a synth that was killed: its staging folder is
 * half-written and removed. Its previous-output folder is the only copy of
 * the output when it died between the two renames, so it is put back if the
 * output folder is missing, else removed.
 */
function recoverAbandoned(outdir: string): void {
  const { staging, previous } = sideFolders(outdir);
  fs.rmSync(staging, { recursive: true, force: true });
  if (fs.existsSync(previous)) {
    if (fs.existsSync(outdir)) {
      fs.rmSync(previous, { recursive: true, force: true });
    } else {
      fs.renameSync(previous, outdir);
    }
  }
}

/** The report of a failed synth: its problems, or the error that stopped it. @internal */
export function failureReport(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.startsWith('synth failed') ? `${message}\n` : `synth failed; nothing was written:\n  - ${message}\n`;
}

/**
 * Writes an App's charts after checking them: every construct's own
 * validation, then the wiring of the whole App (selectors, target ports,
 * references to Secrets and ConfigMaps, node ports, connections and the
 * policies that must admit them). Nothing is written unless all pass.
 */
export class Synthesizer {
  /**
   * Sets the file, relative to the output folder, that a chart is written to,
   * e.g. `production/voting-app.k8s.yaml`.
   * @default - `<chart id>.k8s.yaml`
   */
  public static outputFile(chart: Chart, file: string): void {
    outputFile(chart, file);
  }

  /**
   * Every problem of the App, errors and warnings, as synth would report them;
   * nothing is written. Each is data: its construct path, code, problem, fix and severity.
   */
  public static validate(app: App): ProblemReport[] {
    return validateApp(app);
  }

  /** The one text form of a problem: `[path] CODE problem. Fix: fix`. */
  public static format(problem: ProblemReport): string {
    return formatProblem(problem);
  }

  /**
   * Writes one YAML file per chart, all or nothing: a failure leaves the
   * previous output exactly as it was.
   * @returns the files written, relative to the output folder
   * @throws SynthesisError listing every problem, when there is any
   */
  public static synthesize(app: App, options: SynthesizeOptions = {}): string[] {
    return synthesize(app, options).files;
  }

  /**
   * The entry point of a synth program: synthesizes like {@link synthesize},
   * then prints what was written, or a clean report of every problem and
   * a failing exit code instead of a stack trace.
   * @returns whether the App was written
   */
  public static run(app: App, options: SynthesizeOptions = {}): boolean {
    try {
      const { files, warnings } = synthesize(app, options);
      for (const warning of warnings) {
        process.stderr.write(`warning: ${formatProblem(warning)}\n`);
      }
      process.stderr.write(`wrote ${files.length} file${files.length === 1 ? '' : 's'} to ${path.relative(process.cwd(), path.resolve(options.outdir ?? app.outdir)) || '.'}/: ${files.join(', ')}\n`);
      return true;
    } catch (err) {
      process.stderr.write(failureReport(err));
      process.exitCode = 1;
      return false;
    }
  }

  private constructor() {}
}
