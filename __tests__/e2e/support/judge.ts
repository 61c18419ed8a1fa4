// The dry-run judge: synth's verdict on a stack against the API server's, for many stacks at
// once. The stacks' Namespaces are created for real (a dry-run Namespace is not stored, and Pod
// Security reads the stored namespace's labels); everything else goes through one
// `kubectl apply --dry-run=server`. Pod Security's enforce level applies to Pods, not to the
// Deployment that makes them, so each Deployment's pod template is also sent as a Pod.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import { ProblemCode, ProblemSeverity, Synthesizer } from '../../../lib';
import { buildStack, dryRunBlind, JudgeCase, kubeletJudged, olderApiJudged } from './judge-stacks';
import { KubeObject, manifestFiles, readManifests } from './kube';

/**
 * Codes synth refuses though the API server accepts them, as ProblemCode lists them
 * (`serverAccepts`, docs/problems.md): project policy, wiring the server does not check, and what
 * only the node refuses. Any other code synth reports on a stack the server accepts is synth
 * refusing something valid.
 */
export const REFUSED_ON_PURPOSE: ReadonlySet<string> = new Set(ProblemCode.all().filter(c => c.serverAccepts).map(c => c.code));

export interface SynthProblem { code: string; path: string; message: string; severity: 'error' | 'warning' }

/** Synth's verdict on an App: its problems, as data. */
export function synthVerdict(app: App): SynthProblem[] {
  return Synthesizer.validate(app).map(p => ({ code: p.code, path: p.path, message: Synthesizer.format(p), severity: p.severity === ProblemSeverity.ERROR ? 'error' : 'warning' }));
}

/** The code in a thrown error's message (`[path] CVA### ...`), or `?`. */
export function thrownCode(message: string): string {
  return /\b(CVA\d{3})\b/.exec(message)?.[1] ?? '?';
}

export interface Judged {
  index: number;
  case: JudgeCase;
  /** Synth's problems; empty when it accepts the stack. */
  synth: SynthProblem[];
  /** Set when building the stack threw (a value object refused a value): nothing to send. */
  thrown?: string;
  /** Set when rendering the refused stack threw. */
  unrenderable?: string;
  /** The API server's rejections (kubectl's error lines); empty when it accepts everything. */
  server: string[];
}

/** The namespace a case's stack lives in by default. */
export const namespaceOf = (index: number): string => `judge-${index}`;

/**
 * Builds each case, asks synth, and writes what goes to the server under `dir`: `ns/stack-<i>.json`
 * (the Namespaces) and `apply/stack-<i>.json` (the rest, plus a Pod per Deployment in
 * `stack-<i>.pods.json`). A stack synth accepts is written by `Synthesizer.synthesize` and read back.
 */
export function prepare(cases: JudgeCase[], dir: string): Judged[] {
  for (const sub of ['ns', 'apply', 'synth']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  return cases.map((c, index): Judged => {
    const judged: Judged = { index, case: c, synth: [], server: [] };
    let app: App;
    try {
      app = buildStack(c.stack, namespaceOf(index));
    } catch (e) {
      // Value objects throw today where they are made; later they report like constructs.
      const message = (e as Error).message;
      return { ...judged, thrown: message, synth: [{ code: thrownCode(message), path: '(thrown)', message, severity: 'error' }] };
    }
    judged.synth = synthVerdict(app);
    let objects: KubeObject[];
    try {
      if (judged.synth.some((p) => p.severity === 'error')) {
        // What synth refuses it does not write; render each object (Chart.toJson would validate).
        objects = app.node.findAll().filter(ApiObject.isApiObject).map((o) => o.toJson() as KubeObject);
      } else {
        const out = path.join(dir, 'synth', `stack-${index}`);
        Synthesizer.synthesize(app, { outdir: out });
        objects = readManifests(manifestFiles(out));
      }
    } catch (e) {
      return { ...judged, unrenderable: (e as Error).message };
    }
    const namespaces = objects.filter((o) => o.kind === 'Namespace');
    const rest = objects.filter((o) => o.kind !== 'Namespace');
    const pods = rest.filter((o) => o.kind === 'Deployment').map(podOf);
    // JSON, not YAML: a value such as "y" written unquoted by a YAML 1.2 writer is a boolean to kubectl.
    const write = (file: string, items: unknown[]) => {
      if (items.length) fs.writeFileSync(path.join(dir, file), JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 1));
    };
    write(path.join('ns', `stack-${index}.json`), namespaces);
    write(path.join('apply', `stack-${index}.json`), rest);
    write(path.join('apply', `stack-${index}.pods.json`), pods);
    return judged;
  });
}

/** The Pod a Deployment makes, as the ReplicaSet would send it (its template, its namespace). */
function podOf(d: KubeObject): unknown {
  const spec = (d as unknown as { spec?: { template?: { metadata?: object; spec?: unknown } } }).spec;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...(spec?.template?.metadata ?? {}), name: d.metadata.name, namespace: d.metadata.namespace },
    spec: spec?.template?.spec,
  };
}

export interface ServerRun {
  /** kubectl's error lines, by stack index. */
  rejections: Map<number, string[]>;
  /** Error lines that name no stack file: a fault of the judge, not of a stack. */
  unattributed: string[];
  /** Seconds each step took. */
  timings: Record<string, number>;
}

function kubectl(kubeconfig: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('kubectl', [`--kubeconfig=${kubeconfig}`, ...args], {
    encoding: 'utf8', timeout: 600_000, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, KUBECONFIG: '' },
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : '') };
}

/**
 * kubectl's error lines, each given to the stack whose file it names. A Pod's error counts unless
 * it repeats its Deployment's: Pod Security's enforce level, and what only a Pod is checked for
 * (an image with spaces around it), show only there.
 */
function attribute(stderr: string, run: ServerRun): void {
  const podErrors: Array<{ index: number; line: string }> = [];
  const add = (index: number, line: string) => run.rejections.set(index, [...(run.rejections.get(index) ?? []), line]);
  for (const raw of stderr.split('\n').map((l) => l.trim()).filter(Boolean)) {
    if (/^Warning: /.test(raw)) continue; // warn and audit levels; the enforce level shows on the Pods
    const m = /"[^"]*\/(?:apply|ns)\/stack-(\d+)(\.pods)?\.json"/.exec(raw);
    if (!m) {
      run.unattributed.push(raw);
      continue;
    }
    const line = raw.replace(/"[^"]*\/((?:apply|ns)\/stack-\d+(?:\.pods)?\.json)"/, '"$1"');
    if (m[2]) podErrors.push({ index: Number(m[1]), line });
    else add(Number(m[1]), line);
  }
  for (const { index, line } of podErrors) {
    const name = /(?:Pod|pods) "([^"]*)"/.exec(line)?.[1];
    const own = run.rejections.get(index) ?? [];
    const repeats = own.some((l) => /cannot be handled as a Deployment/.test(l) || l.includes(`Deployment.apps "${name}"`) || l.includes(`deployments.apps "${name}"`));
    if (/violates PodSecurity/.test(line) || !repeats) add(index, line);
  }
}

/** Creates the Namespaces for real, dry-runs everything else, and reads the verdicts. */
export function askServer(kubeconfig: string, dir: string): ServerRun {
  const run: ServerRun = { rejections: new Map(), unattributed: [], timings: {} };
  const timed = <T>(name: string, fn: () => T): T => {
    const t0 = Date.now();
    try {
      return fn();
    } finally {
      run.timings[name] = (Date.now() - t0) / 1000;
    }
  };
  if (manifestFiles(path.join(dir, 'ns')).length) {
    attribute(timed('create namespaces', () => kubectl(kubeconfig, ['apply', '--validate=strict', '-f', path.join(dir, 'ns')])).stderr, run);
  }
  const r = timed('dry-run apply', () => kubectl(kubeconfig, ['apply', '--dry-run=server', '--validate=strict', '-o', 'name', '-f', path.join(dir, 'apply')]));
  attribute(r.stderr, run);
  if (r.code !== 0 && r.stderr.trim() === '') run.unattributed.push(`kubectl apply exited ${r.code} without an error line`);
  return run;
}

/** Deletes the Namespaces `askServer` created (without waiting for their finalizers). */
export function deleteNamespaces(kubeconfig: string, dir: string): string {
  const nsDir = path.join(dir, 'ns');
  if (!fs.existsSync(nsDir) || manifestFiles(nsDir).length === 0) return '';
  const r = kubectl(kubeconfig, ['delete', '--wait=false', '--ignore-not-found', '-f', nsDir]);
  return r.code === 0 ? '' : r.stderr;
}

export type Outcome =
  | 'agree'
  | 'server rejects, synth accepts'
  | 'synth refuses, server accepts'
  | 'kubelet-judged'
  | 'dry run cannot judge'
  | 'Kubernetes 1.28 judges'
  | 'thrown';

/** What one case's two verdicts amount to, and the synth codes that are not refused on purpose. */
export function outcomeOf(j: Judged): { outcome: Outcome; unexplained: string[] } {
  const errors = j.synth.filter((p) => p.severity === 'error');
  const unexplained = [...new Set(errors.map((p) => p.code).filter((c) => !REFUSED_ON_PURPOSE.has(c)))];
  if (j.thrown !== undefined || j.unrenderable !== undefined) return { outcome: 'thrown', unexplained };
  if (j.server.length > 0) return { outcome: errors.length ? 'agree' : 'server rejects, synth accepts', unexplained: [] };
  if (dryRunBlind(j.case.mutation)) return { outcome: 'dry run cannot judge', unexplained };
  if (kubeletJudged(j.case.mutation)) return { outcome: 'kubelet-judged', unexplained };
  if (olderApiJudged(j.case.mutation)) return { outcome: 'Kubernetes 1.28 judges', unexplained };
  return { outcome: unexplained.length ? 'synth refuses, server accepts' : 'agree', unexplained };
}

/** A disagreement's class: its direction, the mutation, and what the server or synth said. */
export function classOf(j: Judged): string {
  const { outcome, unexplained } = outcomeOf(j);
  const what = j.case.mutation?.kind ?? 'valid stack';
  if (outcome === 'synth refuses, server accepts') return `${outcome}: ${what} (${unexplained.join(', ')})`;
  return `${outcome}: ${what}`;
}

/** Every case of a class, with its seed and index, the stack, and both verdicts. */
export function describeCase(j: Judged, seed: number): string {
  return [
    `case ${j.index} (JUDGE_SEED=${seed}), mutation: ${j.case.mutation ? JSON.stringify(j.case.mutation) : 'none'}`,
    `  stack: ${JSON.stringify(j.case.stack)}`,
    `  server: ${j.server.length ? j.server.join('\n          ') : 'accepted'}`,
    `  synth:  ${j.synth.length ? j.synth.map((p) => p.message).join('\n          ') : 'accepted'}`,
  ].join('\n');
}
