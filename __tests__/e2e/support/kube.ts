// Helpers of the end-to-end suite: kubectl against the local control plane, reading the
// synthesized manifests, and the checks themselves (Deployments Available, Services matched
// to the pods of their component through EndpointSlices). Each check returns the problems it
// found as sentences naming the object and the condition, so a failure says what is wrong.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import * as model from '../../../lib/core/model';
import { JsonObject } from '../../../lib/core/model';
import { PARENT_FOLDER } from '../../../lib/synth/applyset';

export type Labels = Record<string, string>;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Labels;
  ownerReferences?: { kind: string; name: string; uid: string }[];
  deletionTimestamp?: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Deployment extends KubeObject {
  spec: { replicas?: number; selector: LabelSelector; template?: { metadata?: { labels?: Labels } } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: Condition[];
  };
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface ContainerStatus {
  name: string;
  restartCount: number;
  containerID?: string;
}

export interface Pod extends KubeObject {
  spec: { nodeName?: string; containers: { name: string; image: string; ports?: ContainerPort[] }[] };
  status?: { phase?: string; podIP?: string; conditions?: Condition[]; containerStatuses?: ContainerStatus[] };
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  protocol?: string;
}

export interface Service extends KubeObject {
  spec: {
    type?: string;
    clusterIP?: string;
    selector?: Labels;
    ports?: ServicePort[];
  };
}

export interface EndpointSlice extends KubeObject {
  addressType: string;
  endpoints?: {
    addresses: string[];
    conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
    targetRef?: { kind: string; name: string; namespace?: string; uid?: string };
    nodeName?: string;
  }[];
  ports?: { name?: string; port?: number; protocol?: string }[] | null;
}

export interface List<T> {
  items: T[];
}

export interface KubectlResult {
  command: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** An error naming the objects it is about, so the suite can `kubectl describe` them. */
export class CheckFailure extends Error {
  constructor(message: string, readonly objects: string[] = []) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** kubectl with an explicit --kubeconfig: it never talks to a cluster other than ours. */
export class Kubectl {
  constructor(readonly kubeconfig: string) {}

  run(args: string[], options: { input?: string; timeoutMs?: number } = {}): KubectlResult {
    const full = [`--kubeconfig=${this.kubeconfig}`, ...args];
    const r = spawnSync('kubectl', full, {
      encoding: 'utf8',
      input: options.input,
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
      // KUBECONFIG is unset so only --kubeconfig counts.
      env: { ...process.env, KUBECONFIG: '' },
    });
    return {
      command: `kubectl ${args.join(' ')}`,
      code: r.status,
      stdout: r.stdout ?? '',
      stderr: (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : ''),
    };
  }

  /** Runs kubectl and throws, with its output, unless it exits 0. */
  ok(args: string[], options: { input?: string; timeoutMs?: number } = {}): KubectlResult {
    const r = this.run(args, options);
    if (r.code !== 0) {
      throw new CheckFailure(`\`${r.command}\` exited ${r.code}:\n${r.stderr}${r.stdout}`);
    }
    return r;
  }

  json<T>(args: string[]): T {
    return JSON.parse(this.ok([...args, '-o', 'json']).stdout) as T;
  }

  list<T>(resource: string, namespace?: string): T[] {
    const ns = namespace ? ['-n', namespace] : ['-A'];
    return this.json<List<T>>(['get', resource, ...ns]).items;
  }
}

/**
 * Top-level manifest files of a folder (like `kubectl apply -f folder`, not recursive), or with
 * `recursive` those of its subfolders too, but not of an ApplySet parent's folder: a parent is
 * created once, by the documented upgrade, after its type exists (docs/upgrades.md).
 */
export function manifestFiles(dir: string, recursive = false): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive && entry.name !== PARENT_FOLDER) out.push(...manifestFiles(full, true));
    } else if (/\.(ya?ml|json)$/.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

/** Subfolders of dist/ that hold manifests (at any depth), e.g. profiles, examples, fleets. */
export function manifestSubfolders(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => path.join(dir, e.name))
    .filter((d) => manifestFiles(d, true).length > 0)
    .sort();
}

export function readManifests(files: string[]): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const docs = file.endsWith('.json') ? [JSON.parse(text) as unknown] : parseAllDocuments(text).map((d) => {
      if (d.errors.length) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
      return d.toJS() as unknown;
    });
    for (const doc of docs) {
      if (doc === null || doc === undefined) continue;
      const o = doc as KubeObject & { items?: KubeObject[] };
      if (o.kind === 'List' && Array.isArray(o.items)) objects.push(...o.items);
      else objects.push(o);
    }
  }
  return objects;
}

/** What kubectl prints for an object: `deployment.apps/vote`, `service/vote`. */
export function kubectlRef(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${o.kind.toLowerCase()}${group ? `.${group}` : ''}/${o.metadata.name}`;
}

/** `kind/name -n namespace`, for messages and `kubectl describe`. */
export function describeRef(o: KubeObject): string {
  return `${o.kind.toLowerCase()}/${o.metadata.name}${o.metadata.namespace ? ` -n ${o.metadata.namespace}` : ''}`;
}

/**
 * Checks kubectl apply's output: one line `<ref> <verb>` per object and nothing else, where
 * verb is a word (`created`) or a function of the object. Returns the problems found.
 */
export function checkApplyOutput(stdout: string, objects: KubeObject[], verb: string | ((o: KubeObject) => string)): string[] {
  const verbOf = typeof verb === 'string' ? () => verb : verb;
  const lines = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const problems: string[] = [];
  const known = new Set<string>();
  for (const o of objects) {
    const want = `${kubectlRef(o)} ${verbOf(o)}`;
    known.add(want);
    if (!lines.includes(want)) {
      const seen = lines.find((l) => l.startsWith(`${kubectlRef(o)} `));
      problems.push(`${describeRef(o)}: expected "${want}", kubectl said ${seen ? `"${seen}"` : 'nothing about it'}`);
    }
  }
  const refs = new Set(objects.map((o) => `${kubectlRef(o)} `));
  for (const l of lines) {
    const ofAnObject = [...refs].some((r) => l.startsWith(r)); // already reported above
    if (!known.has(l) && !ofAnObject) problems.push(`unexpected kubectl output line: "${l}"`);
  }
  return problems;
}

/** Whether a label selector selects these labels: the rule synth's model applies. */
export function matchesSelector(labels: Labels | undefined, selector: LabelSelector): boolean {
  return model.matchesSelector(selector as unknown as JsonObject, labels ?? {});
}

function condition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return (conditions ?? []).find((c) => c.type === type);
}

export function isPodReady(p: Pod): boolean {
  return !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && !!p.status.podIP
    && condition(p.status.conditions, 'Ready')?.status === 'True';
}

/** Problems that keep each Deployment from being Available with all replicas up to date. */
export function deploymentProblems(k: Kubectl, deployments: KubeObject[]): string[] {
  const problems: string[] = [];
  for (const d of deployments) {
    const r = k.run(['get', 'deployment', d.metadata.name, '-n', d.metadata.namespace ?? 'default', '-o', 'json']);
    if (r.code !== 0) {
      problems.push(`${describeRef(d)}: cannot be read: ${r.stderr.trim()}`);
      continue;
    }
    const live = JSON.parse(r.stdout) as Deployment;
    const want = live.spec.replicas ?? 1;
    const available = condition(live.status?.conditions, 'Available');
    const s = live.status ?? {};
    if (available?.status !== 'True' || (s.availableReplicas ?? 0) < want || (s.updatedReplicas ?? 0) < want
      || (s.replicas ?? 0) !== want) {
      problems.push(`${describeRef(d)}: not Available (condition Available=${available?.status ?? 'missing'}` +
        `${available?.message ? ` "${available.message}"` : ''}; replicas ${s.replicas ?? 0}, updated ${s.updatedReplicas ?? 0}, ` +
        `ready ${s.readyReplicas ?? 0}, available ${s.availableReplicas ?? 0} of ${want})`);
    }
  }
  return problems;
}

/**
 * The container port a Service port sends to, on a given pod, by the model's
 * rule: a name is looked up among the pod's declared ports (sidecars too), a
 * number is used as it is.
 */
function resolveTargetPort(svc: Service, index: number, pod: Pod): number | undefined {
  const port = model.servicePortsOf(svc as unknown as JsonObject)[index];
  if (typeof port.targetPort === 'number') return port.targetPort;
  const resolved = model.resolveTargetPort(port, model.declaredPortsOf(pod.spec as unknown as JsonObject));
  return resolved.ok ? resolved.number : undefined;
}

/**
 * The component of a Service is the Deployment that carries the same
 * `app.kubernetes.io/name` label (failing that, the same name; failing that, the only
 * Deployment whose pod template the selector matches). The check fails when the
 * Service's EndpointSlices do not list exactly the ready pods of that Deployment, by pod name
 * (targetRef) and IP, on the ports the Service targets. A Service whose selector picks other
 * pods, or none, is caught here: the selector is not trusted to define what is expected.
 */
export function serviceEndpointProblems(k: Kubectl, services: KubeObject[]): { problems: string[]; objects: string[]; checked: string[] } {
  const problems: string[] = [];
  const objects: string[] = [];
  const checked: string[] = [];
  const byNs = new Map<string, { deployments: Deployment[]; pods: Pod[] }>();
  for (const s of services) {
    const ns = s.metadata.namespace ?? 'default';
    if (!byNs.has(ns)) byNs.set(ns, { deployments: k.list<Deployment>('deployments', ns), pods: k.list<Pod>('pods', ns) });
    const { deployments, pods } = byNs.get(ns)!;
    const svc = k.json<Service>(['get', 'service', s.metadata.name, '-n', ns]);
    if (svc.spec.type === 'ExternalName' || !svc.spec.selector) continue;
    const name = s.metadata.labels?.['app.kubernetes.io/name'];
    const bySelector = deployments.filter((d) => matchesSelector(d.spec.template?.metadata?.labels, { matchLabels: svc.spec.selector }));
    const deployment = deployments.find((d) => name && d.metadata.labels?.['app.kubernetes.io/name'] === name)
      ?? deployments.find((d) => d.metadata.name === s.metadata.name)
      ?? (bySelector.length === 1 ? bySelector[0] : undefined);
    if (!deployment) {
      problems.push(`${describeRef(s)}: no Deployment of its component (app.kubernetes.io/name=${name ?? '?'}) in ${ns}`);
      objects.push(describeRef(s));
      continue;
    }
    const componentPods = pods.filter((p) => matchesSelector(p.metadata.labels, deployment.spec.selector) && isPodReady(p));
    const expected = componentPods.map((p) => `${p.metadata.name}@${p.status?.podIP}`).sort();
    const slices = k.json<List<EndpointSlice>>(['get', 'endpointslices', '-n', ns, '-l', `kubernetes.io/service-name=${s.metadata.name}`]).items;
    const actual = slices.flatMap((sl) => (sl.endpoints ?? []).map((e) =>
      `${e.targetRef?.kind === 'Pod' ? e.targetRef.name : `${e.targetRef?.kind ?? 'no-targetRef'}:${e.targetRef?.name ?? ''}`}@${e.addresses.join(',')}` +
      `${e.conditions?.ready === false ? ' (not ready)' : ''}`)).sort();
    const where = `${describeRef(s)} (selector ${JSON.stringify(svc.spec.selector)})`;
    checked.push(`${ns}/${s.metadata.name}`);
    if (expected.length === 0) {
      problems.push(`${where}: its component ${describeRef(deployment)} has no ready pod`);
      objects.push(describeRef(s), describeRef(deployment));
      continue;
    }
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      problems.push(`${where}: EndpointSlices list [${actual.join(' ')}] but the ready pods of ${describeRef(deployment)} are [${expected.join(' ')}]`);
      objects.push(describeRef(s), `endpointslices -l kubernetes.io/service-name=${s.metadata.name} -n ${ns}`);
      continue;
    }
    for (const [i, sp] of (svc.spec.ports ?? []).entries()) {
      const want = resolveTargetPort(svc, i, componentPods[0]);
      const ok = slices.some((sl) => (sl.ports ?? []).some((p) => (p.name ?? '') === (sp.name ?? '') && p.port === want));
      if (!ok) {
        problems.push(`${where}: port ${sp.name ?? sp.port} -> targetPort ${sp.targetPort ?? sp.port} resolves to ${want ?? 'nothing'} on ` +
          `${componentPods[0].metadata.name}, EndpointSlices have ports ${JSON.stringify(slices.flatMap((sl) => sl.ports ?? []))}`);
        objects.push(describeRef(s));
      }
    }
  }
  return { problems, objects, checked };
}

/** Polls `probe` (which returns the problems left) until none are left or the time is up. */
export async function waitForNoProblems(
  what: string,
  probe: () => { problems: string[]; objects?: string[] },
  timeoutMs: number,
  intervalMs = 500,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: { problems: string[]; objects?: string[] };
    try {
      last = probe();
    } catch (e) {
      last = { problems: [(e as Error).message] };
    }
    if (last.problems.length === 0) return;
    if (Date.now() > deadline) {
      throw new CheckFailure(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}:\n  - ${last.problems.join('\n  - ')}`,
        last.objects ?? []);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** What a person needs to see when a check fails: the objects, the cluster state, the logs. */
export function diagnostics(k: Kubectl, objects: string[], logTails: string): string {
  const parts: string[] = [];
  for (const ref of [...new Set(objects)]) {
    const r = k.run(['describe', ...ref.split(' ')], { timeoutMs: 30_000 });
    parts.push(`===== kubectl describe ${ref}\n${r.stdout}${r.stderr}`);
  }
  const all = k.run(['get', 'nodes,deployments,pods,services,endpointslices', '-A', '-o', 'wide'], { timeoutMs: 30_000 });
  parts.push(`===== kubectl get nodes,deployments,pods,services,endpointslices -A -o wide\n${all.stdout}${all.stderr}`);
  const ev = k.run(['get', 'events', '-A', '--sort-by=.lastTimestamp'], { timeoutMs: 30_000 });
  parts.push(`===== kubectl get events -A (last 40)\n${ev.stdout.split('\n').slice(-41).join('\n')}${ev.stderr}`);
  parts.push(`===== control plane logs\n${logTails}`);
  return parts.join('\n');
}

/**
 * A step of an e2e test: on failure it prints which object and condition failed, with
 * `kubectl describe` of the objects, the cluster's state and the control plane's logs.
 * `current` gives the cluster and kubectl of the test file as they are when the step fails.
 */
export function diagnosingStep(current: () => { k?: Kubectl; logTails?: (lines: number) => string }) {
  return async (name: string, fn: () => Promise<void> | void): Promise<void> => {
    try {
      await fn();
    } catch (e) {
      const objects = e instanceof CheckFailure ? e.objects : [];
      const { k, logTails } = current();
      const extra = k && logTails ? diagnostics(k, objects, logTails(25)) : '(no cluster)';
      process.stderr.write(`\n##### e2e step failed: ${name}\n${(e as Error).message}\n${extra}\n##### end of diagnostics\n`);
      throw e;
    }
  };
}

/**
 * Polls `fn` once a second until it returns a value, and returns it; after `ms` it fails with
 * `what` and the last error `fn` threw.
 */
export async function until<T>(what: string, fn: () => T | undefined | false, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let last = '';
  for (;;) {
    try {
      const v = fn();
      if (v) return v;
    } catch (e) {
      last = (e as Error).message.slice(0, 400);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000}s waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The InternalIP of each node of the cluster. */
export function nodeAddresses(k: Kubectl): string[] {
  return k.list<KubeObject & { status: { addresses: { type: string; address: string }[] } }>('nodes')
    .map((n) => n.status.addresses.find((a) => a.type === 'InternalIP')!.address);
}
