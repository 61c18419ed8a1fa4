import { App, Chart } from 'cdk8s';
import { Credentials, VotingAppChart, VotingAppChartProps } from '../../lib';
import { validateApp } from '../../lib/synth/synthesizer';
import { Json, ManifestIndex, matchesLabels, namespaceOf, PodRef, podTemplateOf, serviceSelectorOf } from '../../lib/core/model';
import { renderChart } from '../../lib/core/app-checks';
import { messagesOf } from '../support/problems';

// The Kubernetes rules these helpers apply (selectors, pod templates,
// NetworkPolicy) are the model's of lib/core/model, the ones synth checks with.

/** A Kubernetes object as synthesized: plain JSON. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // Manifests are untyped JSON; tests read what they need.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec?: any;
  readonly [key: string]: unknown;
}

/** Test credentials: a value no test expects to find anywhere but the Secret. */
export const TEST_PASSWORD = 's3cret-test-value';

/** Synthesizes a voting app chart with test credentials and returns its objects. */
export function votingApp(props: Partial<VotingAppChartProps> = {}): Manifest[] {
  const app = new App();
  const chart = new VotingAppChart(app, 'voting-app', { credentials: Credentials.fromPassword({ password: TEST_PASSWORD }), ...props });
  // Every stack a test looks at must also pass the App-wide wiring checks.
  const problems = messagesOf(validateApp(app));
  if (problems.length > 0) {
    throw new Error(problems.join('\n'));
  }
  return synth(chart);
}

/** The JSON objects of a chart, as cdk8s renders them: after validating the whole App, which throws on a problem. */
export function synth(chart: Chart): Manifest[] {
  return chart.toJson() as Manifest[];
}

/** The JSON objects of a chart, without validation: for a test that looks at the output of an App with problems. */
export function render(chart: Chart): Manifest[] {
  return renderChart(chart).map(o => o.json as Manifest);
}

export function find(objects: Manifest[], kind: string, name: string): Manifest {
  const found = objects.filter(o => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  }
  return found[0];
}

export function ofKind(objects: Manifest[], kind: string): Manifest[] {
  return objects.filter(o => o.kind === kind);
}

const asJson = (o: Manifest): Json => o as unknown as Json;

/**
 * The workloads (any kind) whose pods a Service selects, in its namespace;
 * none for a Service without a selector. Anything with a plain map at
 * `spec.selector` will do as the Service (a PDB's matchLabels, say).
 */
export function podsSelectedBy(objects: Manifest[], service: Manifest): Manifest[] {
  const selector = serviceSelectorOf(asJson(service));
  const namespace = namespaceOf(asJson(service));
  return selector === undefined ? [] : objects.filter(o => {
    const template = podTemplateOf(asJson(o));
    return template !== undefined && namespaceOf(asJson(o)) === namespace && matchesLabels(selector, template.labels);
  });
}

/** Every container of every pod template (init containers included, as the model counts them), with the workload's name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function containers(objects: Manifest[]): Array<{ deployment: string; container: any; pod: any }> {
  return objects.flatMap(o => {
    const template = podTemplateOf(asJson(o));
    return template ? template.containers.map(container => ({ deployment: o.metadata.name, container, pod: template.spec })) : [];
  });
}

/** The values of a Secret's data, decoded from base64. */
export function decoded(secret: Manifest): Record<string, string> {
  const data = (secret.data ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf-8')]));
}

/** Parses a Kubernetes quantity into millicores (cpu) or bytes (memory). */
export function quantity(value: string | number, unit: 'cpu' | 'memory'): number {
  const s = String(value);
  if (unit === 'cpu') {
    return s.endsWith('m') ? Number(s.slice(0, -1)) : Number(s) * 1000;
  }
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G)?$/.exec(s);
  if (!m) {
    throw new Error(`not a memory quantity: ${s}`);
  }
  const factor: Record<string, number> = { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9 };
  return Number(m[1]) * factor[m[2] ?? ''];
}

/**
 * Whether the ingress NetworkPolicies among `objects` let a pod with `fromLabels`
 * open a connection to a pod with `toLabels` on `port`, by the model's
 * verdict (the one synth checks declared connections with; its ingress side). The target's
 * namespace is that of the workload whose pods carry `toLabels` (else
 * `default`); the source's, that of the workload with `fromLabels`, else the
 * target's. Either can be given.
 */
export function ingressAllowed(objects: Manifest[], fromLabels: Record<string, string>, toLabels: Record<string, string>, port: number | string,
  namespaces: { from?: string; to?: string } = {}): boolean {
  const index = new ManifestIndex<Manifest>();
  objects.forEach(o => index.add(o, asJson(o)));
  const workloadOf = (labels: Record<string, string>) => index.workloads.find(w => matchesLabels(labels, w.labels) && matchesLabels(w.labels, labels));
  const to = workloadOf(toLabels);
  const target: PodRef = { namespace: namespaces.to ?? to?.namespace ?? 'default', labels: toLabels, ports: to?.ports };
  const source: PodRef = { namespace: namespaces.from ?? workloadOf(fromLabels)?.namespace ?? target.namespace, labels: fromLabels };
  return index.policies.connectionVerdict(source, target, typeof port === 'number' ? { number: port } : { name: port }).ingress.admitted;
}
