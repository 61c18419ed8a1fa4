import { App, Chart } from 'cdk8s';
import { Credentials, VotingAppChart, VotingAppChartProps } from '../../lib';
import { validateApp } from '../../lib/synth/synthesizer';

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
  const problems = validateApp(app);
  if (problems.length > 0) {
    throw new Error(problems.join('\n'));
  }
  return synth(chart);
}

/** The JSON objects of a chart. */
export function synth(chart: Chart): Manifest[] {
  return chart.toJson() as Manifest[];
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

/** Whether every key/value of `selector` is among `labels`. */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return selector !== undefined && Object.keys(selector).length > 0
    && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Deployments whose pod template a Service's selector matches, in its namespace. */
export function podsSelectedBy(objects: Manifest[], service: Manifest): Manifest[] {
  return ofKind(objects, 'Deployment').filter(d => d.metadata.namespace === service.metadata.namespace
    && selects(service.spec.selector, d.spec.template.metadata.labels));
}

/** Every container of every pod template. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function containers(objects: Manifest[]): Array<{ deployment: string; container: any; pod: any }> {
  return ofKind(objects, 'Deployment').flatMap(d => [
    ...d.spec.template.spec.containers,
    ...(d.spec.template.spec.initContainers ?? []),
  ].map(container => ({ deployment: d.metadata.name, container, pod: d.spec.template.spec })));
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
 * Whether NetworkPolicies let a pod with `fromLabels` open a connection to a
 * pod with `toLabels` on `port`, in one namespace (Kubernetes semantics: a pod
 * selected by no Ingress policy accepts everything; otherwise some rule of a
 * policy selecting it must allow the peer and the port).
 */
export function ingressAllowed(objects: Manifest[], fromLabels: Record<string, string>, toLabels: Record<string, string>, port: number): boolean {
  const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
    Object.keys(selector ?? {}).length === 0 || selects(selector, labels); // {} selects every pod
  const policies = ofKind(objects, 'NetworkPolicy').filter(p => (p.spec.policyTypes ?? ['Ingress']).includes('Ingress')
    && matches(p.spec.podSelector.matchLabels, toLabels));
  if (policies.length === 0) {
    return true;
  }
  return policies.some(p => (p.spec.ingress ?? []).some((rule: { from?: Array<{ podSelector?: { matchLabels: Record<string, string> } }>; ports?: Array<{ port: number }> }) =>
    (rule.from === undefined || rule.from.some(peer => matches(peer.podSelector?.matchLabels, fromLabels)))
    && (rule.ports === undefined || rule.ports.some(pp => pp.port === port))));
}
